/**
 * The habits SELECT policy as written (auth.uid() wrapped in a scalar subquery, evaluated once per
 * statement) and the same policy unwrapped (auth.uid() called per row where it is not an index
 * condition), swapped in the benchmark database between phases.
 */
import type postgres from "postgres";

const POLICY = `"Habits are viewable by their owner"`;

export type PolicyVariant = "wrapped" | "unwrapped";

export async function useSelectPolicy(sql: postgres.Sql, variant: PolicyVariant): Promise<void> {
  const predicate = variant === "wrapped" ? "owner_id = (select auth.uid())" : "owner_id = auth.uid()";
  await sql.begin(async (tx) => {
    await tx.unsafe(`drop policy ${POLICY} on public.habits`);
    await tx.unsafe(
      `create policy ${POLICY} on public.habits for select to authenticated using (${predicate})`,
    );
  });
  const [row] = await sql`
    select qual from pg_policies where schemaname = 'public' and tablename = 'habits' and cmd = 'SELECT'`;
  console.log(`policy now: using (${row.qual})`);
}

/** EXPLAIN (ANALYZE, BUFFERS) of `query` as the signed-in user, as the Data API runs it. */
export async function explainAsUser(
  sql: postgres.Sql,
  userId: string,
  query: string,
  options: { withoutIndexes?: boolean } = {},
): Promise<string> {
  let plan = "";
  await sql.begin(async (tx) => {
    if (options.withoutIndexes) {
      // What the policy costs when its predicate is a per-row filter (no usable index).
      await tx.unsafe(`set local enable_indexscan = off`);
      await tx.unsafe(`set local enable_bitmapscan = off`);
      await tx.unsafe(`set local enable_indexonlyscan = off`);
      await tx.unsafe(`set local max_parallel_workers_per_gather = 0`);
    }
    await tx.unsafe(`set local role authenticated`);
    await tx`select set_config('request.jwt.claims', ${
      JSON.stringify({ sub: userId, role: "authenticated" })
    }, true)`;
    const rows = await tx.unsafe(`explain (analyze, buffers) ${query}`);
    plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
  });
  return plan;
}
