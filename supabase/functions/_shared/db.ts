import postgres from "postgres";

export type Database = postgres.Sql;

/**
 * A small connection pool to the project's database (SUPABASE_DB_URL inside edge functions).
 * Prepared statements are off so the same code works through Supabase's transaction pooler.
 */
export function connectDatabase(url: string, maxConnections = 3): Database {
  return postgres(url, {
    max: maxConnections,
    prepare: false,
    idle_timeout: 20,
    connect_timeout: 10,
    onnotice: () => {},
    types: { bigint: postgres.BigInt },
  });
}
