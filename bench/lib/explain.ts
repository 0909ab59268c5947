/**
 * The real plans of the statements inside a SQL function: auto_explain with nested statements,
 * its LOG lines sent to this session as notices. Runs `body` in a transaction that is rolled back.
 */
import postgres from "postgres";

export async function explainNested(
  url: string,
  statement: string,
  minDurationMs = 0,
): Promise<string> {
  const notices: string[] = [];
  const sql = postgres(url, { max: 1, onnotice: (notice) => notices.push(String(notice.message)) });
  try {
    await sql.begin(async (tx) => {
      await tx.unsafe(`load 'auto_explain'`);
      await tx.unsafe(`set local auto_explain.log_min_duration = ${minDurationMs}`);
      await tx.unsafe(`set local auto_explain.log_analyze = on`);
      await tx.unsafe(`set local auto_explain.log_buffers = on`);
      await tx.unsafe(`set local auto_explain.log_triggers = on`);
      await tx.unsafe(`set local auto_explain.log_nested_statements = on`);
      await tx.unsafe(`set local client_min_messages = log`);
      await tx.unsafe(statement);
      await tx.unsafe(`set local client_min_messages = notice`);
      throw new Rollback();
    }).catch((error) => {
      if (!(error instanceof Rollback)) throw error;
    });
  } finally {
    await sql.end();
  }
  return notices.filter((notice) => notice.includes("Query Text")).join("\n\n");
}

class Rollback extends Error {}

/** The `duration:` of every statement in explainNested's output, in milliseconds, in log order. */
export function statementDurations(plans: string): number[] {
  return [...plans.matchAll(/duration: ([\d.]+) ms/g)].map((match) => Number(match[1]));
}

/** EXPLAIN (ANALYZE, BUFFERS) of one statement, rolled back. */
export async function explainAnalyze(sql: postgres.Sql, statement: string): Promise<string> {
  let plan = "";
  await sql.begin(async (tx) => {
    const rows = await tx.unsafe(`explain (analyze, buffers) ${statement}`);
    plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
    throw new Rollback();
  }).catch((error) => {
    if (!(error instanceof Rollback)) throw error;
  });
  return plan;
}
