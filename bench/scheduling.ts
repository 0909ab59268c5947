/**
 * Scheduling at scale (issue items 1 and 4): 1,000,000 daily habits of 100,000 users, 100,000 of
 * them due in the same minute. Measures the tick (private.enqueue_due_reminders for what is due,
 * private.queue_upcoming_reminders for what comes within the horizon), minute by minute through
 * the burst, and compares it on the same data with the seed's way: a per-minute scan of every
 * habit's time plus the outbox insert, in the burst's minute. With nothing queued ahead (after an
 * outage) the due path runs as pg_cron's command runs it: a batch of reminder_tick_batch per
 * committed transaction until one writes nothing (issue 27). The tick's settings are read from
 * private.settings.
 *
 *   bash bench/run.sh scheduling
 *   bash bench/run.sh --smoke scheduling   (2,000 habits, 200 due; targets reported, not enforced)
 */
import { connect, readBenchEnv } from "./lib/env.ts";
import { explainAnalyze, explainNested, statementDurations } from "./lib/explain.ts";
import { loadAverage } from "./lib/proc.ts";
import { Report } from "./lib/report.ts";
import { countScheduleMismatches, seedHabits, seedUsers } from "./lib/seed.ts";
import { atScale, SMOKE } from "./lib/smoke.ts";
import {
  buildSharedScheduleModel,
  dropSharedScheduleModel,
  dueScheduleRows,
  modelDueBatchSql,
  resetSharedScheduleModel,
} from "./lib/shared-schedule-model.ts";
import { round, summarize, timed } from "./lib/stats.ts";
import {
  baselineEnqueueSql,
  baselineScanSql,
  cronTickSql,
  dueSelectionSql,
  dueTickSql,
  fastPathShareSql,
  naiveBaselineScanSql,
  pauseCheckSql,
  tickDueSelectSql,
  tickSettingsSql,
  tickSql,
} from "./lib/scheduling-sql.ts";

const USERS = Number(Deno.env.get("BENCH_USERS") ?? atScale(100_000, 200));
const HABITS_PER_USER = 10;
const DUE_EVERY = 10; // one habit in ten: 100,000 due in the same minute
const EMPTY_TICKS = atScale(30, 3);
const TYPICAL_MINUTES = atScale(5, 2);
const PEAK_ROUNDS = atScale(3, 1);
const MODEL_SPREAD = 28; // every (interval 1–7, phase) of one zone and time: 1 + 2 + … + 7

const env = readBenchEnv();
const sql = connect(env.dbUrl, 2);
const report = new Report("scheduling");
// A whole minute, tomorrow, so that nothing is due "now" by accident.
const dueAt = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 24 * 3600_000);
const minute = (offset: number) => new Date(dueAt.getTime() + offset * 60_000);

/** Runs `statement` in a transaction and rolls it back (a repeatable measurement). */
async function timedRolledBack(statement: string, params: unknown[] = []) {
  let ms = 0;
  let rows: Record<string, unknown>[] = [];
  await sql.begin(async (tx) => {
    const started = performance.now();
    rows = await tx.unsafe(statement, params as never[]);
    ms = performance.now() - started;
    throw new Rollback();
  }).catch((error) => {
    if (!(error instanceof Rollback)) throw error;
  });
  return { ms, rows };
}
class Rollback extends Error {}

async function vacuum() {
  await sql`vacuum analyze public.habits`;
  await sql`vacuum analyze public.notifications`;
}

const loadAtStart = await loadAverage();
try {
  report.section("data generation");
  report.add("users", USERS);
  report.add("habits", USERS * HABITS_PER_USER);
  report.add("dueAt", dueAt.toISOString());
  const users = await timed(() => seedUsers(sql, 0, USERS - 1));
  report.add("seedUsersMs (auth.users insert, profile trigger, chat link)", round(users.ms));
  const habits = await timed(() =>
    seedHabits(sql, {
      fromUser: 0,
      toUser: USERS - 1,
      perUser: HABITS_PER_USER,
      dueAt,
      dueEvery: DUE_EVERY,
    })
  );
  report.add("seedHabitsMs (replica mode, schedule computed in SQL)", round(habits.ms));
  const analyze = await timed(() => vacuum());
  report.add("vacuumAnalyzeMs", round(analyze.ms));
  const [{ seededHabits }] = await sql<{ seededHabits: number }[]>`
    select count(*)::int as "seededHabits" from public.habits`;
  report.check("every habit seeded", seededHabits === USERS * HABITS_PER_USER, seededHabits);
  const scheduleCheck = await countScheduleMismatches(sql, dueAt);
  report.add("scheduleCheck (sample vs private.next_occurrence)", scheduleCheck);
  report.check(
    "the seed's schedule is private.next_occurrence's",
    scheduleCheck.checked > 0 && scheduleCheck.mismatched === 0,
    scheduleCheck,
  );
  const [sizes] = await sql`
    select pg_size_pretty(pg_total_relation_size('public.habits')) as habits_total,
      pg_size_pretty(pg_relation_size('public.habits_next_reminder_at_idx')) as next_reminder_at_idx,
      (select count(*) from public.habits where next_reminder_at <= ${dueAt})::int as due_at_due_minute`;
  report.add("sizes", sizes);
  report.check(
    "one habit in ten due at the peak",
    sizes.due_at_due_minute === USERS,
    sizes.due_at_due_minute,
  );

  // A smoke run's 200 due fit in one batch of the default 5,000: a batch of 50 makes its due path
  // run batch after batch as at full scale (restored at the end; the smoke cluster is shared).
  if (SMOKE) await sql`update private.settings set value = 50 where name = 'reminder_tick_batch'`;
  // The tick queues ahead: a minute is empty when nothing is due and nothing enters the horizon.
  const [{ horizonMinutes, batchSize, graceMinutes }] = await sql.unsafe(tickSettingsSql);
  report.add("tickSettings (private.settings)", { horizonMinutes, batchSize, graceMinutes });
  report.check(
    "the tick's settings were read",
    [horizonMinutes, batchSize, graceMinutes].every((v) => Number.isInteger(v) && v > 0),
    { horizonMinutes, batchSize, graceMinutes },
  );
  report.section("tick with nothing due and nothing coming within the horizon");
  const emptyAt = minute(-horizonMinutes - 2).toISOString();
  const emptyTimes: number[] = [];
  for (let i = 0; i < EMPTY_TICKS; i++) {
    const { ms, rows } = await timedRolledBack(tickSql, [emptyAt]);
    report.check("the empty tick queues nothing", Number(rows[0].queued) === 0, rows[0].queued);
    emptyTimes.push(ms);
  }
  report.add("emptyTickMs", roundSummary(emptyTimes));
  const cronEmptyTimes: number[] = [];
  for (let i = 0; i < EMPTY_TICKS; i++) {
    cronEmptyTimes.push((await timedRolledBack(cronTickSql, [emptyAt])).ms);
  }
  report.add(
    "emptyCronTickMs (missed check + zone check + tick + deliverable check, as run_reminder_tick)",
    roundSummary(cronEmptyTimes),
  );
  report.add(
    "emptyTickPlan (EXPLAIN ANALYZE BUFFERS of the tick's due query)",
    await explainAnalyze(sql, tickDueSelectSql(emptyAt)),
  );
  report.add(
    "emptyTickNestedPlan (auto_explain inside the function)",
    await explainNested(env.dbUrl, `select private.enqueue_due_reminders('${emptyAt}')`),
  );

  report.section("baseline: per-minute scan of every habit's time (no index), same data");
  const baselineAt = (at: Date) => at.toISOString();
  const scanTimes = { naive: [] as number[], zoneAware: [] as number[] };
  for (let i = 0; i < 5; i++) {
    scanTimes.naive.push((await timedRolledBack(naiveBaselineScanSql, [baselineAt(minute(-1))])).ms);
    scanTimes.zoneAware.push((await timedRolledBack(baselineScanSql, [baselineAt(minute(-1))])).ms);
  }
  report.add("baselineScanMs naive (habits.time = clock, UTC)", roundSummary(scanTimes.naive));
  report.add("baselineScanMs zone-aware (join profiles)", roundSummary(scanTimes.zoneAware));
  report.add("baselineScanPlan", await explainAnalyze(sql, baselineScanSql.replaceAll("$1", `'${emptyAt}'`)));
  const dueMinuteScan = await timedRolledBack(baselineScanSql, [baselineAt(dueAt)]);
  report.add("baselineScanDueMinute", { ms: round(dueMinuteScan.ms), rows: dueMinuteScan.rows.length });
  report.check(
    "the baseline scan finds every due habit",
    dueMinuteScan.rows.length === USERS,
    dueMinuteScan.rows.length,
  );
  await vacuum();

  report.section(
    "the due path alone at 100,000 due (nothing queued ahead, as after downtime), alternating with the baseline",
  );
  const nestedPlan = await explainNested(
    env.dbUrl,
    `select private.enqueue_due_reminders('${dueAt.toISOString()}')`,
    100,
  );
  report.add("dueTickNestedPlan (auto_explain of the first batch, rolled back)", nestedPlan);
  report.add(
    "dueTickStatementsMs (auto_explain, in log order: due_reminders, select + queue, advance, the call)",
    statementDurations(nestedPlan),
  );
  const [paths] = (await timedRolledBack(fastPathShareSql, [dueAt.toISOString()])).rows;
  report.add("dueTickPaths (due habits by path)", paths);
  report.check("every due habit takes a path", Number(paths.fast) + Number(paths.slow) === USERS, paths);
  // The selection alone (locking, occurrence and next reminder of every due habit), both ways.
  const selection = { fast: [] as number[], slow: [] as number[] };
  for (let i = 0; i < 2; i++) {
    for (const [path, fastPath] of [["fast", true], ["slow", false]] as const) {
      const { ms, rows } = await timedRolledBack(dueSelectionSql(fastPath), [dueAt.toISOString()]);
      selection[path].push(ms);
      report.check(`the ${path} path selects every due habit`, Number(rows[0].due) === USERS, rows[0].due);
    }
  }
  report.add("dueSelectionMs (private.due_reminders at the peak, fast path vs all slow)", {
    fast: selection.fast.map(round),
    slow: selection.slow.map(round),
  });
  // run_reminder_tick first pauses due habits whose owner's zone no longer resolves (issue 12):
  // a second look at the due rows, timed apart from the queueing.
  const pauseEmpty: number[] = [];
  for (let i = 0; i < EMPTY_TICKS; i++) pauseEmpty.push((await timedRolledBack(pauseCheckSql, [emptyAt])).ms);
  const pausePeak = await timedRolledBack(pauseCheckSql, [dueAt.toISOString()]);
  report.add("zoneCheckMs (pause_habits_with_unresolvable_zones, rolled back)", {
    nothingDue: roundSummary(pauseEmpty),
    peakWhenNothingWasQueuedAhead: round(pausePeak.ms),
  });
  await vacuum();
  // Alternating, each followed by a vacuum, so that neither side runs on the other's dead rows
  // or always on the warmer cache. The baseline is rolled back; the due path runs as pg_cron's
  // command does, a batch per committed transaction until one writes nothing, and is undone
  // afterwards (untimed).
  const peak = { baseline: [] as number[], dueRounds: [] as DueRound[] };
  for (let run = 0; run < PEAK_ROUNDS; run++) {
    const base = await timedRolledBack(baselineEnqueueSql, [baselineAt(dueAt)]);
    peak.baseline.push(base.ms);
    report.check(
      "the baseline queues every due habit",
      Number(base.rows[0].queued) === USERS,
      base.rows[0].queued,
    );
    await vacuum();
    const round_ = await dueInBatches(dueAt, batchSize);
    peak.dueRounds.push(round_);
    report.check("the due path queues every due habit", round_.queued === USERS, round_.queued);
    report.check(
      `no batch queues more than reminder_tick_batch (${batchSize})`,
      round_.batches.every((b) => b.queued <= batchSize),
      round_.batches.map((b) => b.queued),
    );
    await undoDueRound(dueAt);
    await vacuum();
  }
  report.add("baselineScanAndEnqueueDueMinuteMs", peak.baseline.map(round));
  report.add(
    "dueBatchesMs (per round: each batch, committed, until one writes nothing)",
    peak.dueRounds.map((r) => ({
      batches: r.batches.length,
      firstMs: round(r.batches[0].ms),
      busiestMs: round(Math.max(...r.batches.map((b) => b.ms))),
      totalMs: round(r.totalMs),
      perBatchMs: r.batches.map((b) => round(b.ms)),
    })),
  );

  const model = await measureSharedScheduleModel(batchSize);

  report.section(`the minutes before and at the peak: every tick as run_reminder_tick, each committed`);
  // pg_cron's ticks from the moment the burst enters the horizon to the burst's own minute, each
  // in its own transaction as in production: zone check, due path, queue ahead, deliverable check.
  const windowTicks: { minute: number; ms: number; queued: number }[] = [];
  for (let m = -horizonMinutes; m <= 0; m++) {
    const tick = await timed(() => sql.unsafe(cronTickSql, [minute(m).toISOString()]));
    windowTicks.push({ minute: m, ms: round(tick.ms), queued: Number(tick.result[0].queued) });
  }
  const [{ queuedForPeak }] = await sql`
    select count(*)::int as "queuedForPeak" from public.notifications where kind = 'reminder' and due_at = ${dueAt}`;
  report.check("the ticks before the peak queue every reminder due at it", queuedForPeak === USERS, {
    queuedForPeak,
    due: USERS,
  });
  const windowMs = windowTicks.map((t) => t.ms);
  const maxWindowTick = Math.max(...windowMs);
  report.add("windowTicks (minute relative to the peak, ms, queued)", windowTicks);
  report.add("windowSummary", {
    remindersQueuedForThePeakMinute: queuedForPeak,
    busiestTickMs: maxWindowTick,
    peakMinuteTickMs: windowTicks.at(-1)!.ms,
    totalMs: round(windowMs.reduce((a, b) => a + b, 0)),
  });
  await vacuum();

  report.section("typical minutes after it (about 900,000 / 1,439 due each), tick vs baseline");
  const typical: {
    minute: number;
    tickMs: number;
    queued: number;
    baselineMs: number;
    baselineRows: number;
  }[] = [];
  for (let m = 1; m <= TYPICAL_MINUTES; m++) {
    const at = minute(m).toISOString();
    const base = await timedRolledBack(baselineScanSql, [at]);
    const tick = await timed(() => sql.unsafe(tickSql, [at]));
    typical.push({
      minute: m,
      tickMs: round(tick.ms),
      queued: Number(tick.result[0].queued),
      baselineMs: round(base.ms),
      baselineRows: base.rows.length,
    });
  }
  report.add("typicalMinutes", typical);
  // The last typical minute's clock again: nothing due, and its horizon already queued.
  const lateAt = minute(TYPICAL_MINUTES).toISOString();
  const lateEmpty: number[] = [];
  for (let i = 0; i < EMPTY_TICKS; i++) lateEmpty.push((await timedRolledBack(tickSql, [lateAt])).ms);
  report.add("emptyTickMs after 100,000 + typical minutes were queued", roundSummary(lateEmpty));
  report.add(
    "emptyTickPlan after (dead index entries below the clock until vacuum)",
    await explainAnalyze(sql, tickDueSelectSql(lateAt)),
  );
  const [dead] = await sql`
    select n_dead_tup::int, n_live_tup::int, last_autovacuum from pg_stat_user_tables where relid = 'public.habits'::regclass`;
  report.add("habitsDeadTuples", dead);
  await vacuum();
  const vacuumedEmpty: number[] = [];
  for (let i = 0; i < EMPTY_TICKS; i++) vacuumedEmpty.push((await timedRolledBack(tickSql, [lateAt])).ms);
  report.add("emptyTickMs after vacuum", roundSummary(vacuumedEmpty));

  report.section("ratios (baseline / indexed tick, per minute, same data)");
  const p50 = (values: number[]) => summarize(values).p50;
  const typicalTick = p50(typical.map((t) => t.tickMs));
  const typicalBase = p50(typical.map((t) => t.baselineMs));
  report.add(
    "ratioEmptyMinute (zone-aware scan / empty tick)",
    round(p50(scanTimes.zoneAware) / p50(emptyTimes)),
  );
  report.add("ratioEmptyMinute (naive scan / empty tick)", round(p50(scanTimes.naive) / p50(emptyTimes)));
  report.add("ratioTypicalMinute (zone-aware scan / tick)", round(typicalBase / typicalTick));
  // The busiest of the ticks that queued the burst, against the seed's way in the burst's minute.
  const ratioPeak = p50(peak.baseline) / maxWindowTick;
  report.add(
    "ratioDueMinute (scan+enqueue at the peak, p50 / the busiest tick queueing it)",
    round(ratioPeak),
  );
  // The due path after an outage: the seed's way in one transaction against the busiest of the
  // due path's transactions (what holds locks and delays the first reminders), and, for the
  // record, against all its batches together.
  const busiestBatch = p50(peak.dueRounds.map((r) => Math.max(...r.batches.map((b) => b.ms))));
  const ratioDuePath = p50(peak.baseline) / busiestBatch;
  report.add(
    "ratioDueMinute, due path alone (scan+enqueue / its busiest batch, p50 of each; nothing queued ahead)",
    round(ratioDuePath),
  );
  report.add(
    "ratioDueMinute, due path alone, all batches together (scan+enqueue / sum of the batches, p50)",
    round(p50(peak.baseline) / p50(peak.dueRounds.map((r) => r.totalMs))),
  );
  report.add(
    "firstRemindersReadyMs (due path: its first batch committed, p50; the seed's way: all at once)",
    { duePath: round(p50(peak.dueRounds.map((r) => r.batches[0].ms))), baseline: round(p50(peak.baseline)) },
  );
  report.add("loadAverage (1, 5, 15 min; at the start and now)", {
    start: loadAtStart,
    end: await loadAverage(),
  });

  report.section(
    SMOKE ? "targets (at a smoke run's scale the timings mean nothing: not enforced)" : "targets",
  );
  report.add("peak ratio >= 1.0", verdict(ratioPeak >= 1, round(ratioPeak)));
  report.add(
    "due path after an outage, ratio >= 1.0 (scan+enqueue / busiest batch)",
    verdict(ratioDuePath >= 1, round(ratioDuePath)),
  );
  const ratioDueTotal = p50(peak.baseline) / p50(peak.dueRounds.map((r) => r.totalMs));
  report.add(
    "due path after an outage, all batches together, ratio >= 1.0 (scan+enqueue / sum of the batches)",
    verdict(ratioDueTotal >= 1, round(ratioDueTotal)),
  );
  report.add("the same, modelled over shared schedule rows (not the schema; see its section)", model);
  report.add("empty tick p50 < 2 ms", verdict(p50(emptyTimes) < 2, round(p50(emptyTimes))));
  report.add(
    "empty tick as run_reminder_tick, p50 < 2 ms",
    verdict(p50(cronEmptyTimes) < 2, round(p50(cronEmptyTimes))),
  );
  report.add(
    "typical minute ratio >= 3",
    verdict(typicalBase / typicalTick >= 3, round(typicalBase / typicalTick)),
  );
  report.add(
    "100,000 due queued by their minute, no tick over 2 s",
    verdict(queuedForPeak === USERS && maxWindowTick <= 2000, maxWindowTick),
  );
  await report.finish();
} finally {
  if (SMOKE) await sql`update private.settings set value = 5000 where name = 'reminder_tick_batch'`;
  await sql.end();
}

interface DueRound {
  batches: { ms: number; queued: number }[];
  totalMs: number;
  queued: number;
}

/** The due path as pg_cron's command runs it: a batch per committed transaction until one writes nothing. */
async function dueInBatches(
  at: Date,
  batchSize: number,
  statement = dueTickSql,
  params: unknown[] = [at.toISOString()],
): Promise<DueRound> {
  const batches: { ms: number; queued: number }[] = [];
  // Bounded: twice the batches the due habits need, plus the one that writes nothing.
  const maxBatches = 2 * Math.ceil(USERS / batchSize) + 1;
  for (let i = 0; i < maxBatches; i++) {
    const tick = await timed(() => sql.unsafe(statement, params as never[]));
    const queued = Number(tick.result[0].queued);
    if (queued === 0) break;
    batches.push({ ms: tick.ms, queued });
  }
  const totalMs = batches.reduce((sum, b) => sum + b.ms, 0);
  return { batches, totalMs, queued: batches.reduce((sum, b) => sum + b.queued, 0) };
}

/** Puts the peak back as it was before the due path ran (untimed): the due habits due again, nothing queued. */
/**
 * Issue 27's suggestion, modelled on the same data (bench/lib/shared-schedule-model.ts): the due
 * path over schedule rows shared by the habits on them, one write per reminder. Alternating with
 * the seed's way as the real due path does above, for one row per zone and time and for the
 * same habits spread over MODEL_SPREAD rows each (many small rows).
 */
async function measureSharedScheduleModel(batchSize: number) {
  report.section("the due path over shared schedule rows (a model of issue 27's suggestion, same data)");
  const results: {
    spread: number;
    scheduleRows: number;
    baselineMs: number[];
    totalMs: number[];
    busiestMs: number[];
  }[] = [];
  try {
    for (const spread of [1, MODEL_SPREAD]) {
      await buildSharedScheduleModel(sql, spread);
      const result = {
        spread,
        scheduleRows: await dueScheduleRows(sql, dueAt),
        baselineMs: [] as number[],
        totalMs: [] as number[],
        busiestMs: [] as number[],
      };
      for (let run = 0; run < PEAK_ROUNDS; run++) {
        const base = await timedRolledBack(baselineEnqueueSql, [dueAt.toISOString()]);
        result.baselineMs.push(round(base.ms));
        await vacuum();
        const round_ = await dueInBatches(dueAt, batchSize, modelDueBatchSql, [
          dueAt.toISOString(),
          batchSize,
        ]);
        report.check(
          `the model (spread ${spread}) queues every due habit`,
          round_.queued === USERS,
          round_.queued,
        );
        result.totalMs.push(round(round_.totalMs));
        result.busiestMs.push(round(Math.max(...round_.batches.map((b) => b.ms))));
        await sql`delete from public.notifications where kind = 'reminder' and due_at = ${dueAt}`;
        await resetSharedScheduleModel(sql);
        await vacuum();
      }
      results.push(result);
    }
  } finally {
    await dropSharedScheduleModel(sql);
  }
  report.add(
    "sharedScheduleModel (per spread: due rows, the seed's way and the model's batches, ms)",
    results,
  );
  const p50 = (values: number[]) => summarize(values).p50;
  const ratios = Object.fromEntries(
    results.map((
      r,
    ) => [`spread ${r.spread} (${r.scheduleRows} rows)`, round(p50(r.baselineMs) / p50(r.totalMs))]),
  );
  report.add("ratioDueMinute, model, all batches together (scan+enqueue / sum of the batches, p50)", ratios);
  return ratios;
}

async function undoDueRound(at: Date) {
  await sql.begin(async (tx) => {
    await tx`
      update public.habits h set next_reminder_at = ${at}
      from public.notifications n
      where n.habit_id = h.id and n.kind = 'reminder' and n.due_at = ${at}`;
    await tx`delete from public.notifications where kind = 'reminder' and due_at = ${at}`;
  });
}

function verdict(met: boolean, value: number) {
  return `${met ? "met" : "MISSED"} (${value})`;
}

function roundSummary(values: number[]) {
  const s = summarize(values);
  return { n: s.n, p50: round(s.p50), p95: round(s.p95), max: round(s.max) };
}
