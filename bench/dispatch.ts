/**
 * Dispatch (issue item 2): the reminders edge function, run by the devstack's functions host in
 * its own Deno process, against the fake Telegram Bot API.
 *  A. No rate limit (limiter set out of the way, fake without limits): the system's own ceiling
 *     in messages a second and CPU per message (/proc/<pid>/stat of the function process).
 *  B. Telegram's limits on (REMINDERS_MESSAGES_PER_SECOND=30, one a second per chat; the fake
 *     answers 429 above them): sustained rate, 429s, and lateness from due time to send; once
 *     with one message per chat, once with three messages per chat due at the same time.
 *
 *   bash bench/run.sh dispatch
 */
import { runDispatchPhase } from "./lib/dispatch-run.ts";
import { connect, readBenchEnv } from "./lib/env.ts";
import { postmasterPid } from "./lib/proc.ts";
import { Report } from "./lib/report.ts";
import { seedHabits, seedUsers } from "./lib/seed.ts";
import { round, timed } from "./lib/stats.ts";

const UNLIMITED_USERS = Number(Deno.env.get("BENCH_DISPATCH_MESSAGES") ?? 20_000); // one habit each
// With Telegram's limits: 1,200 messages (40 s at 30/s), once to 1,200 chats, once to 400 chats x 3.
const LIMITED_MESSAGES = 1_200;
const PER_CHAT_USERS = 400;
const PER_CHAT_HABITS = 3;
const oneEach = { from: UNLIMITED_USERS, to: UNLIMITED_USERS + LIMITED_MESSAGES - 1 };
const threeEach = {
  from: UNLIMITED_USERS + LIMITED_MESSAGES,
  to: UNLIMITED_USERS + LIMITED_MESSAGES + PER_CHAT_USERS - 1,
};

const env = readBenchEnv();
const sql = connect(env.dbUrl, 2);
const report = new Report("dispatch");
const postmaster = await postmasterPid(env.clusterDir);
const notDue = new Date(Date.now() + 2 * 24 * 3600_000);

try {
  report.section("data");
  const seeded = await timed(async () => {
    await seedUsers(sql, 0, threeEach.to);
    await seedHabits(sql, { fromUser: 0, toUser: oneEach.to, perUser: 1, dueAt: notDue, dueEvery: 1 });
    await seedHabits(sql, {
      fromUser: threeEach.from,
      toUser: threeEach.to,
      perUser: PER_CHAT_HABITS,
      dueAt: notDue,
      dueEvery: 1,
    });
    await sql`vacuum analyze public.habits`;
  });
  report.add("seedMs", round(seeded.ms));

  report.section("A. no rate limit: the system's own ceiling");
  for (const batch of ["60", "200"]) {
    const result = await runDispatchPhase(sql, {
      name: `unlimited, batch ${batch}`,
      dbUrl: env.dbUrl,
      functionsPort: env.portBase,
      postmasterPid: postmaster,
      fromUser: 0,
      toUser: UNLIMITED_USERS - 1,
      functionEnv: {
        REMINDERS_MESSAGES_PER_SECOND: "1000000",
        REMINDERS_CHAT_INTERVAL_MS: "0",
        REMINDERS_BATCH_SIZE: batch,
      },
      enforceRateLimits: false,
      maxMs: 240_000,
    });
    report.add(`unlimitedBatch${batch}`, result);
    await sql`update public.notifications set status = 'skipped' where status in ('pending', 'retry', 'sending')`;
  }

  report.section("B. Telegram's limits: 30 messages a second, one a second per chat");
  const limitedEnv = { REMINDERS_MESSAGES_PER_SECOND: "30", REMINDERS_CHAT_INTERVAL_MS: "1000" };
  const limited = await runDispatchPhase(sql, {
    name: "telegram limits, 1,200 chats x 1 message",
    dbUrl: env.dbUrl,
    functionsPort: env.portBase + 1,
    postmasterPid: postmaster,
    fromUser: oneEach.from,
    toUser: oneEach.to,
    functionEnv: limitedEnv,
    enforceRateLimits: true,
    maxMs: 120_000,
  });
  report.add("limitedOnePerChat", limited);
  report.add(
    "limitedOnePerChat target (>= 27 msg/s sustained, no 429)",
    limited.messagesPerSecond >= 27 && limited.answered429 === 0 ? "met" : "missed",
  );
  await sql`update public.notifications set status = 'skipped' where status in ('pending', 'retry', 'sending')`;

  // The same with a safety margin below Telegram's 30/s: arrival jitter then never puts 31
  // messages into one second of the fake's sliding window.
  const margin = await runDispatchPhase(sql, {
    name: "REMINDERS_MESSAGES_PER_SECOND=28, 1,200 chats x 1 message",
    dbUrl: env.dbUrl,
    functionsPort: env.portBase + 3,
    postmasterPid: postmaster,
    fromUser: oneEach.from,
    toUser: oneEach.to,
    functionEnv: { ...limitedEnv, REMINDERS_MESSAGES_PER_SECOND: "28" },
    enforceRateLimits: true,
    maxMs: 120_000,
  });
  report.add("limitedOnePerChatAt28", margin);
  report.add(
    "limitedOnePerChatAt28 target (>= 27 msg/s sustained, no 429)",
    margin.messagesPerSecond >= 27 && margin.answered429 === 0 ? "met" : "missed",
  );
  await sql`update public.notifications set status = 'skipped' where status in ('pending', 'retry', 'sending')`;

  const perChat = await runDispatchPhase(sql, {
    name: "defaults (28/s, 1.1 s per chat), 400 chats x 3 messages",
    dbUrl: env.dbUrl,
    functionsPort: env.portBase + 2,
    postmasterPid: postmaster,
    fromUser: threeEach.from,
    toUser: threeEach.to,
    // The function's defaults (28/s, 1.1 s per chat): the scenario is about chats with several messages.
    functionEnv: {},
    enforceRateLimits: true,
    maxRuns: 2,
    maxMs: 100_000,
  });
  report.add("limitedThreePerChat", perChat);
  report.add(
    "limitedThreePerChat target (>= 27 msg/s sustained, no 429)",
    perChat.messagesPerSecond >= 27 && perChat.answered429 === 0 ? "met" : "missed",
  );
  report.add(
    "extrapolated: 100,000 reminders due in one minute at 30 msg/s, last one sent after (min)",
    round(100_000 / 30 / 60),
  );
  console.log(`\nresults written to ${await report.save()}`);
} finally {
  await sql.end();
}
