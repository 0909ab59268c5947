import postgres from "postgres";

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;
/** Either the pool or a transaction: queries that work in both take this. */
export type Db = Sql | Tx;

export function connectDatabase(url: string): Sql {
  return postgres(url, {
    max: 10,
    idle_timeout: 30,
    // A database that does not answer is an error within seconds, not a hanging request.
    connect_timeout: 5,
    onnotice: () => {},
    connection: { application_name: "devstack-auth" },
  });
}

/** True for a Postgres error raised inside the database (constraint, trigger, permission...). */
export function isPostgresError(err: unknown): err is postgres.PostgresError {
  return err instanceof postgres.PostgresError;
}
