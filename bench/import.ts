/**
 * Import in linear time (issue 21): Loop files of 90 daily habits from 0.25 to 1.9 MB (1,225 to
 * 9,800 days, every 45th cell checked: 2,450 to 19,600 completions), each imported into a fresh
 * account by the import function's own handler (in process, with the caller's claims; the
 * gateway's signature check is not what is measured). The time per MB stays flat when the work
 * is linear; before, every checked day copied the habit's whole list of days.
 * Also the planner alone on one habit checked every day for 9,800 days (the shape that was
 * quadratic).
 *
 *   bash bench/run.sh import            # full run, writes bench/results/import.json
 *   bash bench/run.sh --smoke import    # one small file and a short planner run, checked, nothing written
 */
import { connectDatabase } from "../supabase/functions/_shared/db.ts";
import { createImportApp } from "../supabase/functions/import/app.ts";
import { planLoop } from "../supabase/functions/import/loop.ts";
import { createTestUser } from "../tests/support/database.ts";
import { generateLoopExport } from "../tests/support/loop-file.ts";
import { connect, readBenchEnv } from "./lib/env.ts";
import { Report } from "./lib/report.ts";
import { atScale } from "./lib/smoke.ts";

const env = readBenchEnv();
const sql = connect(env.dbUrl, 2);
const handle = createImportApp(connectDatabase(env.dbUrl)).fetch;
const report = new Report("import");
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** A token-shaped header with the caller's claims (callerOf reads them; the gateway verified it). */
const bearer = (sub: string) =>
  `Bearer e30.${btoa(JSON.stringify({ sub, role: "authenticated" })).replaceAll("=", "")}.unsigned`;

try {
  report.section("Loop import, 90 daily habits, end to end (parse, plan, write)");
  const rows = [];
  for (const days of atScale([1_225, 2_450, 4_900, 9_800], [90])) {
    const user = await createTestUser(sql, { timezone: "Europe/Berlin" });
    const body = JSON.stringify({
      format: "loop",
      ...generateLoopExport({ habits: 90, days, lastDay: yesterday, doneEvery: 45 }),
    });
    const started = performance.now();
    const response = await handle(
      new Request("http://bench/import", {
        method: "POST",
        body,
        headers: { Authorization: bearer(user.id) },
      }),
    );
    const ms = performance.now() - started;
    const answer = await response.json();
    report.check(`the ${days}-day Loop file imported`, response.status === 200, answer);
    if (response.status !== 200) continue;
    const expected = 90 * Math.ceil(days / 45);
    report.check(
      `every checked day of the ${days}-day file became a completion`,
      Math.abs(answer.imported.completions - expected) <= 90,
      { expected, imported: answer.imported.completions },
    );
    const mb = body.length / 1024 / 1024;
    const row = {
      days,
      megabytes: Math.round(mb * 100) / 100,
      completions: answer.imported.completions,
      seconds: Math.round(ms / 10) / 100,
      secondsPerMB: Math.round(ms / mb / 10) / 100,
    };
    rows.push(row);
    report.add(`loop_${days}_days`, row);
  }
  report.add("loop_end_to_end", rows);

  report.section("the planner alone, one habit checked every day");
  const plans = [];
  for (const days of atScale([2_450, 4_900, 9_800], [300])) {
    const file = generateLoopExport({ habits: 1, days, lastDay: yesterday, doneEvery: 1 });
    const started = performance.now();
    const plan = planLoop(file.habits, file.checkmarks, yesterday);
    report.check(
      `the planner found every day of ${days}`,
      plan.completions.length === days,
      plan.completions.length,
    );
    plans.push({ days, completions: plan.completions.length, ms: Math.round(performance.now() - started) });
  }
  report.add("loop_planner_one_habit", plans);
  await report.finish();
} finally {
  await sql.end();
}
