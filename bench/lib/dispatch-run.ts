/**
 * One dispatch phase: a functions host running the real reminders function (its own Deno
 * process), the fake Bot API, due habits armed for a moment `leadMs` ahead, the tick at that
 * moment, then POSTs to the function until the outbox is empty (bounded in count and time).
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import type postgres from "postgres";
import { startFunctions } from "../../devstack/functions/server.ts";
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from "../../devstack/keys.ts";
import { startFakeTelegram } from "../../tests/support/fake-telegram.ts";
import { startHandOverPath } from "../../tests/support/hand-over.ts";
import { childPids, commandLine, processCpuSeconds, treeCpuSeconds } from "./proc.ts";
import { round, summarize } from "./stats.ts";
import { userIdSql } from "./seed.ts";

export const BOT_TOKEN = "123456:BENCH-token-for-the-fake-bot-api";
const REMINDERS_SECRET = "bench-reminders-secret-0123456789";

export interface PhaseOptions {
  name: string;
  dbUrl: string;
  /**
   * The functions host's port; 0 picks a free one. A fixed port inside Linux's ephemeral range
   * can be held by one of the 20,000 sends of phase A (a connection each).
   */
  functionsPort: number;
  postmasterPid: number;
  /** Users whose habits become due (all their habits). */
  fromUser: number;
  toUser: number;
  functionEnv: Record<string, string>;
  enforceRateLimits: boolean;
  leadMs?: number;
  maxRuns?: number;
  maxMs?: number;
  /**
   * The bench POSTs the first run only; each next run is the one the function itself asks for
   * through pg_net (as in production: Vault's project_url, the pg_net worker, the gateway). The
   * bench POSTs again only when the chain broke (no run holds the lease and none is asked for).
   */
  followHandOvers?: boolean;
}

export async function runDispatchPhase(sql: postgres.Sql, options: PhaseOptions) {
  const telegram = await startFakeTelegram({
    token: BOT_TOKEN,
    enforceRateLimits: options.enforceRateLimits,
  });
  const functions = await startFunctions({
    port: options.functionsPort,
    jwtSecret: DEMO_JWT_SECRET,
    supabaseUrl: "http://127.0.0.1:54321",
    anonKey: DEMO_ANON_KEY,
    serviceRoleKey: DEMO_SERVICE_ROLE_KEY,
    dbUrl: options.dbUrl,
    env: {
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      REMINDERS_SECRET,
      ...options.functionEnv,
    },
    log: (_name, line, stream) => {
      if (stream === "stderr") console.error(`[reminders] ${line}`);
    },
  });
  const invoke = async () => {
    const response = await fetch(`${functions.url}/reminders`, {
      method: "POST",
      headers: { Authorization: `Bearer ${REMINDERS_SECRET}` },
      // A run stops claiming after its working time (REMINDERS_WORKING_TIME_MS, 45 s by default).
      signal: AbortSignal.timeout(120_000),
    });
    if (!response.ok) throw new Error(`reminders answered ${response.status}: ${await response.text()}`);
    return await response.json() as Record<string, number>;
  };

  const handOvers = options.followHandOvers
    ? await startHandOverPath(sql, {
      dbUrl: options.dbUrl,
      functionsUrl: functions.url,
      remindersSecret: REMINDERS_SECRET,
      // What asking for a run costs beyond the devstack's (pg_net's polling, a cold start).
      delayMs: Number(Deno.env.get("BENCH_DISPATCH_HANDOVER_DELAY_MS") ?? 0),
    })
    : undefined;
  try {
    await invoke(); // boots the function process (outbox empty)
    const functionPid = childPids(Deno.pid).find((pid) => commandLine(pid).includes("runner.ts"));
    if (functionPid === undefined) throw new Error("the reminders function process was not found");

    const dueAt = new Date(Math.ceil((Date.now() + (options.leadMs ?? 10_000)) / 1000) * 1000);
    const armed = await sql.begin(async (tx) => {
      await tx.unsafe(`set local session_replication_role = replica`);
      return await tx.unsafe(
        `update public.habits h set time = ($1::timestamptz at time zone p.timezone)::time, next_reminder_at = $1
         from public.profiles p
         where p.id = h.owner_id and h.owner_id in (select ${
          userIdSql("u")
        } from generate_series($2::int, $3::int) u)`,
        [dueAt.toISOString(), options.fromUser, options.toUser],
      );
    });
    await sql`analyze public.habits`;
    // As pg_cron's ticks do in the half hour before a busy minute: queue ahead, a batch a tick.
    const queueStarted = performance.now();
    const aheadTicks: number[] = [];
    for (;;) {
      const [{ queued }] = await sql`select private.queue_upcoming_reminders(now()) as queued`;
      if (Number(queued) === 0) break;
      aheadTicks.push(Number(queued));
    }
    const queueAheadMs = performance.now() - queueStarted;
    const queuedBeforeDue = Date.now() < dueAt.getTime();
    while (Date.now() < dueAt.getTime()) {
      await sleep(dueAt.getTime() - Date.now());
    }

    const cpu = () => ({
      fn: processCpuSeconds(functionPid),
      pg: treeCpuSeconds(options.postmasterPid),
      bench: processCpuSeconds(Deno.pid),
    });
    const cpuBefore = cpu();
    const tickStarted = performance.now();
    // The tick of the due minute itself: everything is queued already.
    const [{ queued }] = await sql`select private.enqueue_due_reminders(now()) as queued`;
    const tickMs = performance.now() - tickStarted;

    const runs: Record<string, number>[] = [];
    const started = Date.now();
    const maxRuns = options.maxRuns ?? 10;
    while (runs.length < maxRuns && Date.now() - started < (options.maxMs ?? 300_000)) {
      runs.push(await invoke());
      if (handOvers) await followChain(sql, started + (options.maxMs ?? 300_000));
      const [{ left }] = await sql`
        select count(*)::int as left from public.notifications where status in ('pending', 'retry', 'sending')`;
      if (left === 0) break;
    }
    const cpuAfter = cpu();
    const chainedRuns = handOvers ? await handOvers.runReports() : [];

    const sends = telegram.callsOf("sendMessage");
    const sendsFile = Deno.env.get("BENCH_DISPATCH_SENDS_FILE");
    if (sendsFile) {
      // Every send at the stand-in (time, chat), for a closer look at where the time went.
      await Deno.writeTextFile(
        sendsFile,
        sends.map((call) => `${round(call.at)} ${call.payload.chat_id}\n`).join(""),
      );
    }
    const ok = sends.length - telegram.rateLimited;
    const first = sends[0]?.at ?? 0;
    const last = sends.at(-1)?.at ?? 0;
    const ids = sends.map((call) =>
      Number(/"done:(\d+)"/.exec(JSON.stringify(call.payload.reply_markup))?.[1])
    );
    const dueRows = await sql<{ id: bigint; due: number }[]>`
      select id, extract(epoch from due_at) * 1000 as due from public.notifications where id = any(${ids})`;
    const dueById = new Map(dueRows.map((row) => [Number(row.id), Number(row.due)]));
    const lateness = sends.map((call, i) =>
      (performance.timeOrigin + call.at - (dueById.get(ids[i]) ?? NaN)) / 1000
    );
    const statuses = await sql`
      select status, count(*)::int as n from public.notifications
      where due_at = ${dueAt} group by status order by status`;
    const perSecond = binPerSecond(sends.map((call) => call.at));
    const sent = Number([...runs, ...chainedRuns].reduce((sum, run) => sum + (run.sent ?? 0), 0));

    return {
      phase: options.name,
      armedHabits: armed.count,
      dueAt: dueAt.toISOString(),
      queuedAhead: {
        reminders: aheadTicks.reduce((a, b) => a + b, 0),
        ticks: aheadTicks.length,
        ms: round(queueAheadMs),
      },
      queuedBeforeDue,
      dueMinuteTickMs: round(tickMs),
      queuedByDueMinuteTick: Number(queued),
      functionRuns: runs.length + chainedRuns.length,
      runReports: runs,
      ...(handOvers ? { runsStartedThroughPgNet: chainedRuns } : {}),
      sendMessageCalls: sends.length,
      answered429: telegram.rateLimited,
      delivered: ok,
      sentRecorded: sent,
      outboxStatuses: Object.fromEntries(statuses.map((row) => [row.status, row.n])),
      sendWindowSeconds: round((last - first) / 1000),
      messagesPerSecond: round(ok / ((last - first) / 1000)),
      perSecondBins: perSecond,
      longestIdleBetweenSends: longestGaps(sends.map((call) => call.at)),
      gapsAtRunSeamsMs: seamGaps(sends.map((call) => call.at), [...runs, ...chainedRuns]),
      latenessSeconds: {
        p50: round(summarize(lateness).p50),
        p95: round(summarize(lateness).p95),
        p99: round(summarize(lateness).p99),
        max: round(summarize(lateness).max),
      },
      standIn: {
        maxPerSecond: telegram.counters().maxPerSecond,
        minChatGapMs: telegram.counters().minChatGapMs,
        sendsInsideRetryAfter: telegram.counters().sendsInsideRetryAfter,
        paidBroadcastSends: sends.filter((call) => call.payload.allow_paid_broadcast === true).length,
      },
      cpuSeconds: {
        functionProcess: round(cpuAfter.fn - cpuBefore.fn),
        postgres: round(cpuAfter.pg - cpuBefore.pg),
        benchProcess_fakeTelegram: round(cpuAfter.bench - cpuBefore.bench),
      },
      cpuMsPerMessage: {
        functionProcess: round((cpuAfter.fn - cpuBefore.fn) * 1000 / ok),
        postgres: round((cpuAfter.pg - cpuBefore.pg) * 1000 / ok),
      },
    };
  } finally {
    await handOvers?.close();
    await functions.close();
    await telegram.close();
  }
}

/** Messages per whole second from the first send: the minimum, median and maximum of full seconds. */
function binPerSecond(times: number[]) {
  if (times.length < 2) return {};
  const start = times[0];
  const bins = new Array(Math.floor((times.at(-1)! - start) / 1000)).fill(0);
  for (const t of times) {
    const bin = Math.floor((t - start) / 1000);
    if (bin < bins.length) bins[bin]++;
  }
  if (bins.length === 0) return {};
  const s = summarize(bins);
  return { fullSeconds: bins.length, min: s.min, p50: s.p50, max: s.max };
}

/**
 * The three longest gaps between consecutive sends at the stand-in (ms), with the send after each
 * (its index): at a steady rate every gap is the budget's spacing, so a longer one is idle time.
 */
function longestGaps(times: number[]) {
  const gaps = times.slice(1).map((t, i) => ({ afterSend: i + 1, ms: round(t - times[i]) }));
  return gaps.sort((a, b) => b.ms - a.ms).slice(0, 3);
}

/**
 * The gap at the stand-in between each run's last send and the next run's first (ms), the runs
 * taken in the order they ran (each sends its own messages, in order, before the next starts).
 */
function seamGaps(times: number[], reports: Record<string, number>[]) {
  const gaps: number[] = [];
  let sent = 0;
  for (const report of reports.slice(0, -1)) {
    sent += report.sent ?? 0;
    if (sent > 0 && sent < times.length && (report.sent ?? 0) > 0) {
      gaps.push(round(times[sent] - times[sent - 1]));
    }
  }
  return gaps;
}

/**
 * Waits while the chain of runs goes on by itself: a run holds the dispatcher lease or pg_net is
 * about to start one. Returns when the outbox is empty, the deadline passed, or nothing held the
 * lease for a second and a half (the chain broke: the caller POSTs again).
 */
async function followChain(sql: postgres.Sql, deadline: number) {
  let idleSince: number | undefined;
  while (Date.now() < deadline) {
    const [row] = await sql<{ left: number; held: boolean; queued: boolean }[]>`
      select (select count(*)::int from public.notifications where status in ('pending', 'retry', 'sending')) as left,
        exists (select from private.reminder_dispatcher) as held,
        exists (select from net.http_request_queue) as queued`;
    if (row.left === 0) return;
    if (row.held || row.queued) idleSince = undefined;
    else if ((idleSince ??= Date.now()) < Date.now() - 1_500) return;
    await sleep(100);
  }
}
