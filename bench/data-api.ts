/**
 * Data API under RLS (issue item 3): a signed-in user lists 5 of their habits among 1,000,000
 * rows through the devstack gateway (startStack) with raw fetch and the user's JWT (minted with
 * jose, HS256, the demo secret). p50/p95 at 1 and at 16 concurrent clients, with the SELECT
 * policy as written ((select auth.uid())) and unwrapped (auth.uid()), side by side in one run.
 * Then the round trips resource embedding saves (bench/lib/round-trips.ts): the history page and
 * the habit list loaded before (several requests) and after (one embedded request), alternating.
 *
 *   bash bench/run.sh data-api
 *   bash bench/run.sh --smoke data-api   (1,000 habits, a few hundred requests, nothing written)
 */
import { SignJWT } from "jose";
import { DEMO_ANON_KEY, DEMO_JWT_SECRET } from "../devstack/keys.ts";
import { startStack } from "../devstack/stack.ts";
import { connect, readBenchEnv } from "./lib/env.ts";
import { type LoadResult, runLoad } from "./lib/load.ts";
import { explainAsUser, type PolicyVariant, useSelectPolicy } from "./lib/policies.ts";
import { loadAverage } from "./lib/proc.ts";
import { Report } from "./lib/report.ts";
import { pageLoads, seedHistory } from "./lib/round-trips.ts";
import { seedHabits, seedUsers } from "./lib/seed.ts";
import { atScale, SMOKE } from "./lib/smoke.ts";
import { round, timed } from "./lib/stats.ts";

const USERS = Number(Deno.env.get("BENCH_USERS") ?? atScale(100_000, 100));
const HABITS_PER_USER = 10;
const SIGNED_IN = Math.min(USERS, 2_000); // distinct users the clients act as
const REQUESTS = atScale({ 1: 600, 16: 3_200 }, { 1: 20, 16: 64 });
const WARM_UP = atScale({ first: 400, perPhase: 100 }, { first: 20, perPhase: 8 });
const LIST_QUERY = "select=id,action,place,time,interval_days,next_reminder_at&order=created_at.desc&limit=5";

const env = readBenchEnv();
const sql = connect(env.dbUrl, 2);
const report = new Report("data-api");

/** Every request answered correctly: a load with errors measures a broken benchmark. */
function checkLoad(what: string, result: LoadResult, requests: number) {
  report.check(`${what}: ${requests} requests sent`, result.requests === requests, result.requests);
  report.check(`${what}: no errors`, result.errors === 0, `${result.errors} of ${result.requests}`);
}

/**
 * The unwrapped policy under the restrictive two-factor policy: `owner_id = auth.uid()` is not
 * leakproof, so Postgres may not use it as an index condition behind another security qual, and
 * every listing filters all rows (its sqlPlan). Its phases end at runLoad's 60 s cap, and a
 * request the authenticated role's statement_timeout (8 s) cancels is a measured outcome, counted
 * apart; any other error still fails the run.
 */
function checkSlowLoad(what: string, result: LoadResult, timeouts: number) {
  report.check(`${what}: requests answered`, result.requests > result.errors, result.requests);
  report.check(
    `${what}: every error is a statement timeout`,
    result.errors === timeouts,
    `${result.errors} errors, ${timeouts} statement timeouts`,
  );
}

try {
  report.add("loadAverage (1, 5, 15 min) at the start", await loadAverage());
  report.section("data");
  const seeded = await timed(async () => {
    await seedUsers(sql, 0, USERS - 1);
    await seedHabits(sql, {
      fromUser: 0,
      toUser: USERS - 1,
      perUser: HABITS_PER_USER,
      dueAt: new Date(Date.now() + 2 * 24 * 3600_000),
      dueEvery: HABITS_PER_USER,
    });
    await sql`vacuum analyze public.habits`;
    await sql`vacuum analyze public.profiles`;
  });
  report.add("habits", USERS * HABITS_PER_USER);
  report.add("seedMs", round(seeded.ms));
  const [{ habits }] = await sql<{ habits: number }[]>`select count(*)::int as habits from public.habits`;
  report.check("every habit seeded", habits === USERS * HABITS_PER_USER, habits);

  const step = Math.floor(USERS / SIGNED_IN);
  const userIds = (await sql<{ id: string }[]>`
    select md5('bench-user-' || u)::uuid::text as id from generate_series(0, ${USERS - 1}, ${step}) u`).map((
    r,
  ) => r.id);
  const secret = new TextEncoder().encode(DEMO_JWT_SECRET);
  const tokens = await Promise.all(
    userIds.map((sub) =>
      new SignJWT({ sub, role: "authenticated", aud: "authenticated", email: `${sub}@bench.local` })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuedAt()
        .setExpirationTime("2h")
        .sign(secret)
    ),
  );

  const stack = await startStack({
    databaseUrl: env.dbUrl,
    ports: {
      gateway: env.portBase,
      mail: env.portBase + 1,
      smtp: env.portBase + 2,
      auth: env.portBase + 3,
      rest: env.portBase + 4,
      functions: env.portBase + 5,
    },
    pgNet: { enabled: false },
  });
  try {
    const url = `${stack.urls.api}/rest/v1/habits?${LIST_QUERY}`;
    let statementTimeouts = 0;
    const listHabits = async (i: number) => {
      const user = i % tokens.length;
      const response = await fetch(url, {
        headers: { apikey: DEMO_ANON_KEY, Authorization: `Bearer ${tokens[user]}` },
        signal: AbortSignal.timeout(30_000),
      });
      const rows = await response.json();
      if (response.status === 500 && rows?.code === "57014") statementTimeouts++;
      return response.status === 200 && Array.isArray(rows) && rows.length === 5;
    };
    // Warm-up: connections, the Data API's schema cache, Postgres' buffers.
    checkLoad("warm-up", await runLoad(4, WARM_UP.first, listHabits), WARM_UP.first);

    const results: Record<string, unknown>[] = [];
    const order: PolicyVariant[] = ["wrapped", "unwrapped", "wrapped", "unwrapped"];
    for (const [round_, variant] of order.entries()) {
      await useSelectPolicy(sql, variant);
      const check = (what: string, load: () => Promise<LoadResult>, requests: number) => {
        statementTimeouts = 0;
        return load().then((result) => {
          if (variant === "wrapped" || SMOKE) checkLoad(what, result, requests);
          else checkSlowLoad(what, result, statementTimeouts);
          return { ...result, statementTimeouts };
        });
      };
      await check(`warm-up, ${variant}`, () => runLoad(4, WARM_UP.perPhase, listHabits), WARM_UP.perPhase);
      for (const clients of [1, 16] as const) {
        const result = await check(
          `${variant}, ${clients} clients`,
          () => runLoad(clients, REQUESTS[clients], listHabits),
          REQUESTS[clients],
        );
        results.push({ round: 1 + Math.floor(round_ / 2), policy: variant, ...result });
        if (!SMOKE) console.log(JSON.stringify(results.at(-1)));
      }
      const plan = await explainAsUser(
        sql,
        userIds[7],
        `select id, action, place, time, interval_days, next_reminder_at from public.habits order by created_at desc limit 5`,
      );
      report.add(`sqlPlan ${variant} (round ${1 + Math.floor(round_ / 2)})`, plan);
      if (variant === "wrapped" && !SMOKE) {
        report.check("the policy as written lists through the owner's index", /Index Scan/.test(plan), plan);
      }
      if (round_ < 2) {
        report.add(
          `sqlPlan ${variant}, index scans off (the policy as a per-row filter over 1,000,000 rows)`,
          await explainAsUser(sql, userIds[7], `select count(*) from public.habits`, {
            withoutIndexes: true,
          }),
        );
      }
    }
    report.add("throughGateway", results);

    // Round trips: each page load's latency, before and after embedding, alternating, one run.
    await useSelectPolicy(sql, "wrapped");
    const history = await seedHistory(sql, userIds);
    const habitIds = history.habitIds;
    report.add("historySeeded", {
      habits: habitIds.length,
      completions: history.completions,
      deliveries: history.deliveries,
    });
    report.check(
      "a newest habit for every signed-in user",
      habitIds.length === userIds.length,
      habitIds.length,
    );
    report.check(
      "completions seeded (real occurrences)",
      history.completions === habitIds.length * history.perHabit.completions,
      history.completions,
    );
    report.check(
      "deliveries seeded",
      history.deliveries === habitIds.length * history.perHabit.deliveries,
      history.deliveries,
    );
    const pages = pageLoads(stack.urls.api);
    const scenarios = {
      "history page, 3 requests (before)": (i: number) =>
        pages.historyBefore(habitIds[i % habitIds.length], tokens[i % tokens.length]),
      "history page, 1 embedded request (after)": (i: number) =>
        pages.historyAfter(habitIds[i % habitIds.length], tokens[i % tokens.length]),
      "habit list, 1 + 5 requests (before)": (i: number) => pages.listBefore(tokens[i % tokens.length]),
      "habit list, 1 embedded request (after)": (i: number) => pages.listAfter(tokens[i % tokens.length]),
    };
    for (const [page, send] of Object.entries(scenarios)) {
      checkLoad(`warm-up, ${page}`, await runLoad(4, WARM_UP.perPhase, send), WARM_UP.perPhase);
    }
    const roundTrips: Record<string, unknown>[] = [];
    for (const round_ of [1, 2]) {
      for (const clients of [1, 16] as const) {
        for (const [page, send] of Object.entries(scenarios)) {
          const result = await runLoad(clients, REQUESTS[clients] / 4, send);
          checkLoad(`${page}, ${clients} clients`, result, REQUESTS[clients] / 4);
          roundTrips.push({ round: round_, page, ...result });
          if (!SMOKE) console.log(JSON.stringify(roundTrips.at(-1)));
        }
      }
    }
    report.add("roundTrips", { requestsPerPageLoad: pages.requests, results: roundTrips });
  } finally {
    await stack.stop();
  }
  await useSelectPolicy(sql, "wrapped");
  report.add("loadAverage (1, 5, 15 min) at the end", await loadAverage());
  await report.finish();
} finally {
  await sql.end();
}
