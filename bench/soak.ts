/**
 * Soak (issue 11): several hundred chats with mixed habits, delivered by the real reminders
 * function (two instances, as when Supabase scales out) through the Telegram stand-in with
 * Telegram's limits on, while faults hit: an instance killed every minute, a Postgres restart,
 * minutes of 429s, slow answers past the send timeout, 5xx bursts and dropped connections.
 * Ticks (every 5 s here, every minute in production) and insert kicks overlap freely.
 *
 * Reports sent / expected, duplicates with their cause, stuck, dead, lateness (due → sent) and
 * Telegram's limits as the stand-in saw them (smallest gap between two messages to one chat,
 * most messages in any one-second window).
 *
 *   bash bench/run.sh soak            (SOAK_SECONDS=300 by default; under 10 minutes in all)
 */
import { startFakeTelegram } from "../tests/support/fake-telegram.ts";
import { spawnFunctionProcess, TEST_BOT_TOKEN, TEST_REMINDERS_SECRET } from "../tests/support/functions.ts";
import { connect, readBenchEnv } from "./lib/env.ts";
import { Report } from "./lib/report.ts";
import { seedUsers, userIdSql } from "./lib/seed.ts";
import { round, summarize } from "./lib/stats.ts";

const SOAK_SECONDS = Number(Deno.env.get("SOAK_SECONDS") ?? 300);
const DRAIN_SECONDS = 150;
const USERS = 400;
const TICK_MS = 5_000;
const BOT_TOKEN = TEST_BOT_TOKEN;
const SECRET = TEST_REMINDERS_SECRET;
const root = new URL("../", import.meta.url).pathname;

const env = readBenchEnv();
const sql = connect(env.dbUrl, 4);
const report = new Report("soak");
const telegram = await startFakeTelegram({
  token: BOT_TOKEN,
  enforceRateLimits: true,
  standIn: { port: env.portBase },
});
let started = performance.now();
const log = (message: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${message}`);

// ---------------------------------------------------------------- the reminders function, twice

const spawnInstance = (name: string) =>
  spawnFunctionProcess("reminders", telegram.apiRoot, { SUPABASE_DB_URL: env.dbUrl }, (line, stream) => {
    if (stream === "stderr" && !line.includes("DeprecationWarning")) console.error(`[${name}] ${line}`);
  });
const instances = [spawnInstance("A"), spawnInstance("B")];
const runs = { total: 0, busy: 0, failed: 0, sent: 0, maybeDelivered: 0, rateLimited: 0 };
const inFlight = new Set<Promise<void>>();

/** One POST to an instance, as pg_net would make it; never awaited by the driver. */
function invoke(instance: number) {
  const running = (async () => {
    runs.total++;
    try {
      const response = await instances[instance].fetch(
        new Request("http://function/reminders", {
          method: "POST",
          headers: { Authorization: `Bearer ${SECRET}` },
        }),
      );
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        runs.failed++;
        return;
      }
      if (body.busy) runs.busy++;
      runs.sent += body.sent ?? 0;
      runs.maybeDelivered += body.maybeDelivered ?? 0;
      runs.rateLimited += body.rateLimited ?? 0;
    } catch {
      runs.failed++; // the instance was killed under it, or Postgres was down
    }
  })().catch(() => {});
  inFlight.add(running);
  running.finally(() => inFlight.delete(running));
}

// ---------------------------------------------------------------- data

await seedUsers(sql, 0, USERS - 1);
const soakStart = new Date(Date.now() + 20_000);
const soakEnd = new Date(soakStart.getTime() + SOAK_SECONDS * 1000);
const at = (seconds: number) => new Date(soakStart.getTime() + seconds * 1000).toISOString();

/** Daily habits of users [from, to], `perUser` each, due at `dueSql` (an SQL expression of k). */
async function seedDueHabits(from: number, to: number, perUser: number, tag: string, dueSql: string) {
  await sql.begin(async (tx) => {
    await tx.unsafe(`set local session_replication_role = replica`);
    await tx.unsafe(`
      insert into public.habits (owner_id, action, place, time, interval_days, duration_seconds, reward,
        starts_on, next_reminder_at)
      select p.id, 'soak-${tag}-' || k, 'place ' || (k % 17), (d.due at time zone p.timezone)::time, 1, 30,
        case when k % 3 = 0 then 'a coffee' end, (d.due at time zone p.timezone)::date - 28, d.due
      from generate_series(${from}, ${to}) u
      join public.profiles p on p.id = ${userIdSql("u")}
      cross join generate_series(0, ${perUser - 1}) j
      cross join lateral (select u * ${perUser} + j as k) n
      cross join lateral (select ${dueSql} as due) d`);
  });
}
// Spread: two habits per chat, due across the soak. Burst: 300 chats due at one instant.
// Heavy: one account with 100 habits due at one instant (fairness: it must not delay others).
await seedDueHabits(
  1,
  USERS - 1,
  2,
  "spread",
  `'${at(10)}'::timestamptz + make_interval(secs => (k * 7919) % ${SOAK_SECONDS - 40})`,
);
await seedDueHabits(1, 300, 1, "burst", `'${at(75)}'::timestamptz`);
await seedDueHabits(0, 0, 100, "heavy", `'${at(76)}'::timestamptz`);
const expectedReminders = (await sql<{ action: string }[]>`
  select action from public.habits where next_reminder_at between ${soakStart} and ${soakEnd}`)
  .map((row) => row.action);
const createdDuringSoak: string[] = [];
report.add("chats", USERS);
report.add("remindersDue", expectedReminders.length);

// ---------------------------------------------------------------- the faults

const faults: { at: number; what: string; run: () => Promise<void> | void }[] = [];
for (const [i, second] of [45, 105, 165, 225, 285].entries()) {
  faults.push({
    at: second,
    what: `kill instance ${"AB"[i % 2]} mid-run`,
    run: async () => {
      const victim = i % 2;
      const dying = instances[victim];
      instances[victim] = spawnInstance("AB"[victim]);
      await dying.stop();
    },
  });
}
faults.push(
  {
    at: 20,
    what: "slow answers: 3% of sends answered after 11 s (timeout 10 s) for 90 s",
    run: () =>
      void telegram.chaos({
        kind: "slow",
        delayMs: 11_000,
        methods: ["sendMessage"],
        fraction: 0.03,
        forMs: 90_000,
      }),
  },
  {
    at: 60,
    what: "429 for every send for 15 s (retry_after 5)",
    run: () =>
      void telegram.chaos({
        kind: "too_many_requests",
        retryAfter: 5,
        methods: ["sendMessage"],
        forMs: 15_000,
      }),
  },
  {
    at: 100,
    what: "5xx burst: the next 15 sends answered 500",
    run: () => void telegram.chaos({ kind: "server_error", methods: ["sendMessage"], times: 15 }),
  },
  {
    at: 130,
    what: "Postgres restart (down 5 s)",
    run: async () => {
      await new Deno.Command("bash", {
        args: [`${root}devstack/postgres/cluster.sh`, "stop", env.clusterDir],
      }).output();
      await new Promise((resolve) => setTimeout(resolve, 5000));
      await new Deno.Command("bash", {
        args: [`${root}devstack/postgres/cluster.sh`, "start", env.clusterDir],
      }).output();
    },
  },
  {
    at: 150,
    what: "429 on 30% of sends for 2 minutes (retry_after 3)",
    run: () =>
      void telegram.chaos({
        kind: "too_many_requests",
        retryAfter: 3,
        methods: ["sendMessage"],
        fraction: 0.3,
        forMs: 120_000,
      }),
  },
  {
    at: 200,
    what: "5xx burst: the next 15 sends answered 502",
    run: () =>
      void telegram.chaos({ kind: "server_error", status: 502, methods: ["sendMessage"], times: 15 }),
  },
  {
    at: 240,
    what: "dropped connections: 5% of sends take effect, then the connection closes, for 20 s",
    run: () =>
      void telegram.chaos({
        kind: "drop_connection",
        methods: ["sendMessage"],
        fraction: 0.05,
        forMs: 20_000,
      }),
  },
);
faults.sort((a, b) => a.at - b.at);

// ---------------------------------------------------------------- the drive

/** New habits (each insert kicks the function, as the insert trigger's pg_net call does). */
async function insertHabits(second: number) {
  const user = 1 + Math.floor(Math.random() * (USERS - 1));
  const count = 1 + Math.floor(Math.random() * 5);
  const actions = Array.from({ length: count }, (_, i) => `soak-new-${second}-${user}-${i}`);
  try {
    await sql`
      insert into public.habits (owner_id, action, place, time, duration_seconds)
      select p.id, a, 'home', ((now() + interval '12 hours') at time zone p.timezone)::time, 45
      from unnest(${actions}::text[]) a
      join public.profiles p on p.id = ${sql.unsafe(userIdSql(String(user)))}`;
    createdDuringSoak.push(...actions);
    invoke(second % 2);
  } catch {
    // Postgres was restarting: nothing was inserted, nothing is expected.
  }
}

async function tick() {
  try {
    await sql`select private.enqueue_due_reminders(now())`;
  } catch {
    return; // Postgres down: the next tick catches up (the tick is idempotent)
  }
  invoke(0);
  invoke(1);
}

await new Promise((resolve) => setTimeout(resolve, soakStart.getTime() - Date.now()));
started = performance.now();
log(`soak starts: ${SOAK_SECONDS} s of faults, then up to ${DRAIN_SECONDS} s to drain`);
let nextTick = 0;
let nextInsert = 3;
let second = 0;
while (second < SOAK_SECONDS) {
  second = (performance.now() - started) / 1000;
  while (faults.length > 0 && faults[0].at <= second) {
    const fault = faults.shift()!;
    log(fault.what);
    await fault.run();
  }
  if (second >= nextTick) {
    nextTick += TICK_MS / 1000;
    await tick();
  }
  if (second >= nextInsert && second < SOAK_SECONDS - 20) {
    nextInsert += 4;
    await insertHabits(Math.round(second));
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}
telegram.standIn.chaos.clear();
log("faults over; draining");
const drainUntil = performance.now() + DRAIN_SECONDS * 1000;
while (performance.now() < drainUntil) {
  const [left] = await sql<{ n: number }[]>`
    select count(*)::int as n from public.notifications where status in ('pending', 'retry', 'sending')`;
  if (left.n === 0 && inFlight.size === 0) break;
  await tick();
  await new Promise((resolve) => setTimeout(resolve, TICK_MS));
}
await Promise.all(inFlight);
log("done");

// ---------------------------------------------------------------- what reached the chats

const delivered = new Map<string, number>();
for (const chat of telegram.standIn.api.model.chats.values()) {
  for (const message of chat.messages) {
    if (message.from !== "bot") continue;
    const action = message.text.match(/I will (soak-\S+) at/)?.[1];
    if (!action) continue;
    const kind = message.text.includes("New habit") ? "habit_created" : "reminder";
    const key = `${kind}:${action}`;
    delivered.set(key, (delivered.get(key) ?? 0) + 1);
  }
}
const expected = [
  ...expectedReminders.map((action) => `reminder:${action}`),
  ...createdDuringSoak.map((action) => `habit_created:${action}`),
];
const rows = await sql<
  {
    key: string;
    status: string;
    maybe_delivered_attempts: number;
    last_error: string | null;
    lateness: number | null;
  }[]
>`
  select n.kind || ':' || h.action as key, n.status, n.maybe_delivered_attempts, n.last_error,
    extract(epoch from n.sent_at - n.due_at)::float as lateness
  from public.notifications n join public.habits h on h.id = n.habit_id
  where h.action like 'soak-%' and n.kind in ('reminder', 'habit_created')`;
const rowOf = new Map(rows.map((row) => [row.key, row]));

const missing = expected.filter((key) => !delivered.has(key));
const duplicates = { maybeDelivered: 0, unexplained: 0 };
for (const [key, count] of delivered) {
  if (count < 2) continue;
  if ((rowOf.get(key)?.maybe_delivered_attempts ?? 0) >= count - 1) duplicates.maybeDelivered += count - 1;
  else duplicates.unexplained += count - 1;
}
const deadCauses: Record<string, number> = {};
for (const row of rows.filter((r) => r.status === "dead")) {
  const cause = (row.last_error ?? "unknown").slice(0, 60);
  deadCauses[cause] = (deadCauses[cause] ?? 0) + 1;
}
const latenessOf = (actions: string[]) =>
  summarize(
    actions.map((action) => rowOf.get(`reminder:${action}`)?.lateness)
      .filter((value): value is number => typeof value === "number"),
  );
const figures = (late: ReturnType<typeof summarize>) => ({
  n: late.n,
  p50: round(late.p50),
  p99: round(late.p99),
  max: round(late.max),
});
const counters = telegram.counters();

report.section("delivery");
report.add("expected", expected.length);
report.add("sent", expected.length - missing.length);
report.add("lost", missing.length);
report.add(
  "stuck",
  missing.filter((key) => ["pending", "retry", "sending"].includes(rowOf.get(key)?.status ?? "")).length,
);
report.add("dead", rows.filter((row) => row.status === "dead").length);
report.add("deadCauses", deadCauses);
report.add("duplicates", duplicates.maybeDelivered + duplicates.unexplained);
report.add("duplicateCauses", {
  "recorded maybe delivered (timed out, connection dropped, or claimed by a run killed mid-send)":
    duplicates.maybeDelivered,
  "unexplained (no maybe-delivered attempt recorded)": duplicates.unexplained,
});
report.add("maybeDeliveredRecorded", rows.reduce((sum, row) => sum + row.maybe_delivered_attempts, 0));
report.section("lateness of reminders, due → recorded sent (s)");
report.add("lateness", figures(latenessOf(expectedReminders)));
// The heavy account's 100 reminders due at once go out one per 1.1 s (Telegram's per-chat limit).
report.add(
  "latenessOtherAccounts",
  figures(latenessOf(expectedReminders.filter((a) => !a.includes("heavy")))),
);
report.add("latenessHeavyAccount", figures(latenessOf(expectedReminders.filter((a) => a.includes("heavy")))));
report.section("Telegram's limits, as the stand-in saw them");
report.add("smallestGapToOneChatMs", counters.minChatGapMs === null ? null : round(counters.minChatGapMs));
report.add("mostMessagesInOneSecond", counters.maxPerSecond);
report.add("limit429s", counters.rateLimited);
report.add("all429s", counters.tooManyRequests);
report.section("runs");
report.add("runs", runs);
report.add("soakSeconds", SOAK_SECONDS);
if (missing.length > 0) report.add("missingSample", missing.slice(0, 10));
console.log(`\nresults: ${await report.save()}`);

for (const instance of instances) await instance.stop();
await telegram.close();
await sql.end();
