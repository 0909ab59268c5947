import postgres from "postgres";

export type Database = postgres.Sql;

/**
 * What one statement of a function's own work may take (the same bound as a signed-in person's
 * requests get, `authenticated`'s 8 s): no request holds the database for long.
 */
export const FUNCTION_STATEMENT_TIMEOUT_MS = 8_000;

/**
 * A small connection pool to the project's database (SUPABASE_DB_URL inside edge functions).
 * Prepared statements are off so the same code works through Supabase's transaction pooler.
 * Each connection asks for FUNCTION_STATEMENT_TIMEOUT_MS in its startup message; work done as the
 * caller gets `authenticated`'s own setting per transaction (asCaller), whatever the pooler does.
 */
export function connectDatabase(url: string, maxConnections = 3): Database {
  return postgres(url, {
    max: maxConnections,
    prepare: false,
    idle_timeout: 20,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { statement_timeout: FUNCTION_STATEMENT_TIMEOUT_MS },
    types: { bigint: postgres.BigInt },
  });
}
