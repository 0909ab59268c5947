/**
 * Realtime delivery with 1,000 subscribed clients (BENCH_SMOKE=1: 20 clients, a few events):
 * 1,000 people, each with a WebSocket (vsn 2.0.0, as realtime-js connects) joined to their
 * private topic `user:<id>` through the gateway; then broadcasts from the database
 * (realtime.send, committed one per statement) to random people.
 *
 * - latency: one event at a time, from just before the sending statement to its frame arriving
 *   at the right client; p50/p99.
 * - throughput: a burst sent over 16 connections; events per second delivered, first send to
 *   last arrival.
 *
 *   bash bench/run.sh realtime
 */
import { sleep } from "../supabase/functions/_shared/sleep.ts";
import { SignJWT } from "jose";
import { startGateway } from "../devstack/gateway/server.ts";
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from "../devstack/keys.ts";
import { startRealtime } from "../devstack/realtime/server.ts";
import { connect, readBenchEnv } from "./lib/env.ts";
import { Report } from "./lib/report.ts";
import { SMOKE as smoke } from "./lib/smoke.ts";
import { summarize } from "./lib/stats.ts";

const CLIENTS = smoke ? 20 : 1000;
const LATENCY_EVENTS = smoke ? 20 : 500;
const BURST_EVENTS = smoke ? 50 : 5000;

const env = readBenchEnv();
const sql = connect(env.dbUrl, 16);
const report = new Report("realtime");
const realtime = await startRealtime({
  databaseUrl: env.dbUrl,
  jwtSecret: DEMO_JWT_SECRET,
  port: env.portBase,
});
const gateway = await startGateway({
  port: env.portBase + 1,
  apiKeys: [DEMO_ANON_KEY, DEMO_SERVICE_ROLE_KEY],
});
gateway.setUpstream("realtime", realtime.url);

const ids: string[] = Array.from({ length: CLIENTS }, () => crypto.randomUUID());
await sql`
  insert into auth.users (id, aud, role, email, created_at, updated_at)
  select id, 'authenticated', 'authenticated', 'bench-' || id || '@bench.local', now(), now()
  from unnest(${ids}::uuid[]) as id`;

const secret = new TextEncoder().encode(DEMO_JWT_SECRET);
const arrivals = new Map<string, number>();

/** One client: connects, joins its private topic, and records when each broadcast arrives. */
async function subscribe(id: string): Promise<WebSocket> {
  const token = await new SignJWT({ sub: id, role: "authenticated", aal: "aal1" })
    .setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("2h").sign(secret);
  const socket = new WebSocket(
    `${gateway.url.replace("http", "ws")}/realtime/v1/websocket?apikey=${DEMO_ANON_KEY}&vsn=2.0.0`,
  );
  const topic = `realtime:user:${id}`;
  await new Promise((resolve, reject) => {
    socket.onerror = reject;
    socket.onopen = resolve;
  });
  const joined = new Promise<void>((resolve, reject) => {
    socket.onmessage = (message) => {
      const [, , , event, payload] = JSON.parse(message.data);
      if (event === "phx_reply") {
        payload.status === "ok" ? resolve() : reject(new Error(JSON.stringify(payload)));
      } else if (event === "broadcast") arrivals.set(payload.payload.key, performance.now());
    };
  });
  socket.send(JSON.stringify([
    "1",
    "1",
    topic,
    "phx_join",
    {
      config: {
        broadcast: { ack: false, self: false },
        presence: { enabled: false },
        postgres_changes: [],
        private: true,
      },
      access_token: token,
    },
  ]));
  await joined;
  return socket;
}

async function waitFor(keys: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (keys.some((key) => !arrivals.has(key))) {
    if (Date.now() > deadline) {
      throw new Error(`${keys.filter((k) => !arrivals.has(k)).length} events never arrived`);
    }
    await sleep(2);
  }
}

const sockets: WebSocket[] = [];
try {
  report.section(`${CLIENTS} clients joining their private topics`);
  const joinStarted = performance.now();
  for (let i = 0; i < ids.length; i += 50) {
    sockets.push(...await Promise.all(ids.slice(i, i + 50).map(subscribe)));
  }
  report.add("clients", CLIENTS);
  report.add("joinAllSeconds", Math.round((performance.now() - joinStarted) / 10) / 100);
  report.add("openConnections", realtime.connections());
  report.check("every client joined its private topic", sockets.length === CLIENTS, sockets.length);

  report.section("latency: one event at a time");
  const latencies: number[] = [];
  for (let i = 0; i < LATENCY_EVENTS; i++) {
    const key = `l${i}`;
    const id = ids[Math.floor(Math.random() * ids.length)];
    const sent = performance.now();
    await sql`select realtime.send(${sql.json({ key })}, 'bench', ${"user:" + id})`;
    await waitFor([key], 5000);
    latencies.push(arrivals.get(key)! - sent);
  }
  report.check("every event reached its subscriber", latencies.length === LATENCY_EVENTS, latencies.length);
  const latency = summarize(latencies);
  report.add(
    "latencyMs",
    Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, Math.round(v * 100) / 100])),
  );

  report.section(`throughput: a burst of ${BURST_EVENTS} events`);
  const keys = Array.from({ length: BURST_EVENTS }, (_, i) => `b${i}`);
  const burstStarted = performance.now();
  await Promise.all(keys.map((key) => {
    const id = ids[Math.floor(Math.random() * ids.length)];
    return sql`select realtime.send(${sql.json({ key })}, 'bench', ${"user:" + id})`;
  }));
  const allSent = performance.now();
  await waitFor(keys, 60_000);
  const lastArrival = Math.max(...keys.map((key) => arrivals.get(key)!));
  report.add("burstEvents", BURST_EVENTS);
  report.add("sendEventsPerSecond", Math.round(BURST_EVENTS / ((allSent - burstStarted) / 1000)));
  report.add("deliveredEventsPerSecond", Math.round(BURST_EVENTS / ((lastArrival - burstStarted) / 1000)));
  report.add("burstLastArrivalMs", Math.round(lastArrival - burstStarted));
  report.check("every event of the burst arrived", keys.every((key) => arrivals.has(key)));
  await report.finish();
} finally {
  for (const socket of sockets) socket.close();
  await gateway.close();
  await realtime.close();
  await sql`delete from auth.users where id = any(${ids}::uuid[])`;
  await sql.end();
}
