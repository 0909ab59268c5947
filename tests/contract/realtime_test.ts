/**
 * Live updates through Realtime with the real supabase-js (2.119.1, realtime-js over WebSocket
 * vsn 2.0.0) against a whole stack (SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY,
 * SUPABASE_DB_URL, JWT_SECRET: the devstack started by devstack/with-stack.ts, or `supabase start`).
 *
 * Upstream behaviour these follow (supabase/realtime v2.130.0):
 * - lib/realtime/tenants/authorization.ex: a private join is allowed when the RLS policies on
 *   realtime.messages let the joining role read a probe row for the topic;
 * - lib/realtime_web/channels/realtime_channel.ex: join refusals ("Unauthorized: You do not have
 *   permissions to read from this Channel topic: …", "InvalidJWTToken: Token has expired …"), the
 *   `access_token` refresh, and the `system` error pushed before a channel whose token expired is
 *   shut down;
 * - realtime-js src/RealtimeClient.ts (setAuth pushes `access_token` to every joined channel) and
 *   src/lib/serializer.ts (vsn 2.0.0 binary broadcasts).
 *
 *   deno run -A devstack/with-stack.ts deno test -A tests/contract/realtime_test.ts
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import { createClient, type RealtimeChannel, type SupabaseClient } from "@supabase/supabase-js";
import { SignJWT } from "jose";
import postgres from "postgres";
import { startGateway } from "../../devstack/gateway/server.ts";
import { startRealtime } from "../../devstack/realtime/server.ts";

const URL_ = Deno.env.get("SUPABASE_URL");
const ANON = Deno.env.get("SUPABASE_ANON_KEY") ?? "";
const SERVICE = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY") ?? "";
const DB_URL = Deno.env.get("SUPABASE_DB_URL");
const JWT_SECRET = Deno.env.get("JWT_SECRET") ?? "";
const ignore = !URL_ || !DB_URL || !JWT_SECRET;
const PASSWORD = "live updates 4 everyone";

const options = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };

async function person(tag: string): Promise<{ id: string; supabase: SupabaseClient }> {
  const admin = createClient(URL_!, SERVICE, options);
  const email = `${tag}-${crypto.randomUUID().slice(0, 8)}@habits-devstack.test`;
  const { data, error } = await admin.auth.admin.createUser({
    email,
    password: PASSWORD,
    email_confirm: true,
  });
  assert.equal(error, null);
  const supabase = createClient(URL_!, ANON, options);
  const signIn = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
  assert.equal(signIn.error, null);
  return { id: data.user!.id, supabase };
}

/** A token for `sub` signed with the project's secret, expiring in `seconds` (may be negative). */
function token(sub: string, seconds: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub, role: "authenticated", aud: "authenticated", aal: "aal1" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(now - 5)
    .setExpirationTime(now + seconds)
    .sign(new TextEncoder().encode(JWT_SECRET));
}

interface Listening {
  channel: RealtimeChannel;
  events: { event: string; payload: Record<string, unknown>; at: number }[];
  system: Record<string, unknown>[];
  statuses: string[];
  subscribed: Promise<void>;
  next(event: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

function listen(supabase: SupabaseClient, topic: string, isPrivate = true): Listening {
  const events: Listening["events"] = [];
  const system: Listening["system"] = [];
  const statuses: string[] = [];
  const channel = supabase.channel(topic, { config: { private: isPrivate } })
    .on("broadcast", { event: "*" }, (message) => {
      events.push({ event: message.event, payload: message.payload, at: performance.now() });
    })
    .on("system", {}, (message) => system.push(message));
  const subscribed = new Promise<void>((resolve, reject) => {
    channel.subscribe((status, error) => {
      statuses.push(error ? `${status}: ${error.message}` : status);
      if (status === "SUBSCRIBED") resolve();
      if (status === "CHANNEL_ERROR" || status === "TIMED_OUT") reject(error ?? new Error(status));
    });
  });
  const next = async (event: string, timeoutMs = 3000) => {
    const seen = events.length;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = events.slice(seen).find((e) => e.event === event) ??
        events.find((e) => e.event === event && !("consumed" in e));
      if (found) {
        Object.assign(found, { consumed: true });
        return found.payload;
      }
      await sleep(20);
    }
    throw new Error(`no ${event} on ${topic} within ${timeoutMs} ms (statuses: ${statuses.join(", ")})`);
  };
  return { channel, events, system, statuses, subscribed, next };
}

async function until(condition: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const sanitize = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "a change reaches its owner's open screen within a second, and nobody else's",
  ignore,
  ...sanitize,
  async fn() {
    const sql = postgres(DB_URL!, { max: 1, onnotice: () => {} });
    const owner = await person("owner");
    const other = await person("other");
    const ownerSees = listen(owner.supabase, `user:${owner.id}`);
    const otherSees = listen(other.supabase, `user:${other.id}`);
    try {
      await Promise.all([ownerSees.subscribed, otherSees.subscribed]);
      const started = performance.now();
      await sql`update public.profiles set telegram_chat_id = ${
        700_000_000 + Math.floor(Math.random() * 1e8)
      },
        telegram_username = 'owner_tg' where id = ${owner.id}`;
      const payload = await ownerSees.next("telegram_link", 1000);
      assert.equal(payload.telegram_linked, true);
      assert.equal(payload.telegram_username, "owner_tg");
      assert.ok(ownerSees.events.at(-1)!.at - started < 1000, "delivered within a second");

      await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
        values (${owner.id}, 'stretch', 'hall', '07:00', 60)`;
      const habit = await ownerSees.next("habits", 1000);
      assert.equal(habit.operation, "INSERT");
      assert.equal((habit.record as Record<string, unknown>).action, "stretch");

      await sleep(300);
      assert.deepEqual(otherSees.events, [], "another person's screen hears nothing");
    } finally {
      await owner.supabase.removeAllChannels();
      await other.supabase.removeAllChannels();
      await sql.end();
    }
  },
});

Deno.test({
  name: "a stranger is refused someone else's private topic with Realtime's reason",
  ignore,
  ...sanitize,
  async fn() {
    const owner = await person("owner");
    const stranger = await person("stranger");
    const attempt = listen(stranger.supabase, `user:${owner.id}`);
    try {
      await assert.rejects(
        attempt.subscribed,
        (error: Error) => {
          assert.equal(
            error.message,
            `Unauthorized: You do not have permissions to read from this Channel topic: user:${owner.id}`,
          );
          return true;
        },
      );
      const visitor = createClient(URL_!, ANON, options);
      const anonymous = listen(visitor, `user:${owner.id}`);
      await assert.rejects(anonymous.subscribed, /Unauthorized: You do not have permissions to read/);
      await visitor.removeAllChannels();
    } finally {
      await stranger.supabase.removeAllChannels();
    }
  },
});

Deno.test({
  name: "a read policy that raises refuses the join as Unauthorized, not as a database failure",
  ignore,
  ...sanitize,
  async fn() {
    // lib/realtime/tenants/authorization.ex get_read_authorizations: a Postgrex.Error from the
    // policy query is {:error, :rls_policy_error, _}; realtime_channel.ex maybe_assign_policies
    // logs RlsPolicyError and refuses with "You do not have permissions to read from this Channel
    // topic: …", under the "Unauthorized" code.
    const sql = postgres(DB_URL!, { max: 1, onnotice: () => {} });
    const policy = `raises for its topics ${crypto.randomUUID().slice(0, 8)}`;
    await sql.unsafe(`
      create policy "${policy}" on realtime.messages for select to authenticated
      using (case when (select realtime.topic()) like 'raise:%' then 1 / 0 = 1 else false end)`);
    const someone = await person("raise");
    try {
      const attempt = listen(someone.supabase, "raise:now");
      await assert.rejects(attempt.subscribed, (error: Error) => {
        assert.equal(
          error.message,
          "Unauthorized: You do not have permissions to read from this Channel topic: raise:now",
        );
        return true;
      });
    } finally {
      await someone.supabase.removeAllChannels();
      await sql.unsafe(`drop policy "${policy}" on realtime.messages`);
      await sql.end();
    }
  },
});

Deno.test({
  name: "what the stand-in does not support is refused by name, never ignored",
  ignore,
  ...sanitize,
  async fn() {
    const owner = await person("strict");
    try {
      const changes = owner.supabase.channel(`user:${owner.id}`, { config: { private: true } })
        .on("postgres_changes", { event: "*", schema: "public", table: "habits" }, () => {});
      const refused = new Promise<string>((resolve) =>
        changes.subscribe((status, error) => status === "CHANNEL_ERROR" && resolve(error!.message))
      );
      assert.match(await refused, /^RealtimeDisabledForConfiguration: .*postgres_changes/);
      await owner.supabase.removeChannel(changes);

      const presence = owner.supabase.channel(`room-${owner.id}`, {
        config: { presence: { enabled: true } },
      });
      const presenceRefused = new Promise<string>((resolve) =>
        presence.subscribe((status, error) => status === "CHANNEL_ERROR" && resolve(error!.message))
      );
      assert.match(await presenceRefused, /^RealtimeDisabledForConfiguration: .*presence/);
    } finally {
      await owner.supabase.removeAllChannels();
    }
  },
});

Deno.test({
  name:
    "an expired token is refused, a token refreshed before it expires keeps the channel, one left to expire closes it",
  ignore,
  ...sanitize,
  async fn() {
    const sql = postgres(DB_URL!, { max: 1, onnotice: () => {} });
    const owner = await person("tokens");
    const refreshed = createClient(URL_!, ANON, options);
    const left = createClient(URL_!, ANON, options);
    const expired = createClient(URL_!, ANON, options);
    try {
      await expired.realtime.setAuth(await token(owner.id, -10));
      await assert.rejects(
        listen(expired, `user:${owner.id}`).subscribed,
        /InvalidJWTToken: Token has expired 1\d seconds ago$/,
      );

      await refreshed.realtime.setAuth(await token(owner.id, 2));
      await left.realtime.setAuth(await token(owner.id, 2));
      const keeps = listen(refreshed, `user:${owner.id}`);
      const closes = listen(left, `user:${owner.id}`);
      await Promise.all([keeps.subscribed, closes.subscribed]);
      // What supabase-js's auto-refresh does: setAuth with the new token (an access_token push).
      await refreshed.realtime.setAuth(await token(owner.id, 3600));

      await until(() => closes.system.length > 0, 5000, "the expiry shutdown");
      assert.equal(closes.system[0].status, "error");
      assert.match(String(closes.system[0].message), /^Token has expired \d+ seconds ago$/);
      await until(() => closes.channel.state === "closed", 2000, "the channel to close");

      await sql`update public.profiles set telegram_username = 'after_expiry' where id = ${owner.id}`;
      const payload = await keeps.next("telegram_link", 1000);
      assert.equal(payload.telegram_username, "after_expiry");
      assert.equal(closes.events.length, 0, "the expired channel hears nothing more");
    } finally {
      for (const c of [refreshed, left, expired]) await c.removeAllChannels();
      await sql.end();
    }
  },
});

Deno.test({
  name: "clients reconnect, rejoin and hear new changes after Realtime restarts",
  ignore,
  ...sanitize,
  async fn() {
    const sql = postgres(DB_URL!, { max: 1, onnotice: () => {} });
    const jwtSecret = JWT_SECRET;
    let realtime = await startRealtime({ databaseUrl: DB_URL!, jwtSecret });
    const port = Number(new URL(realtime.url).port);
    // A gateway of its own in front of this Realtime, so that Realtime alone can be restarted.
    const gateway = await startGateway({ port: 0, apiKeys: [ANON, SERVICE] });
    gateway.setUpstream("realtime", realtime.url);
    const owner = await person("restart");
    const id = owner.id;
    // The token comes from a callback, as with supabase-js's session: realtime-js asks it again
    // when it reconnects, so the rejoin carries the person's token.
    const personal = await token(id, 3600);
    const supabase = createClient(gateway.url, ANON, { accessToken: () => Promise.resolve(personal) });
    await supabase.realtime.setAuth();
    const seen = listen(supabase, `user:${id}`);
    try {
      await seen.subscribed;
      await realtime.close();
      await until(
        () => seen.statuses.some((s) => s.startsWith("CHANNEL_ERROR") || s === "CLOSED"),
        5000,
        "the drop",
      );
      const before = seen.statuses.length;
      realtime = await startRealtime({ databaseUrl: DB_URL!, jwtSecret, port });
      await until(() => seen.statuses.slice(before).includes("SUBSCRIBED"), 15000, "the rejoin");
      await sql`update public.profiles set telegram_username = 'after_restart' where id = ${id}`;
      const payload = await seen.next("telegram_link", 1000);
      assert.equal(payload.telegram_username, "after_restart");
    } finally {
      await supabase.removeAllChannels();
      await realtime.close();
      await gateway.close();
      await sql.end();
    }
  },
});
