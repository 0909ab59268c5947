/**
 * Whether a role with given claims may read a topic, decided by the RLS policies on
 * realtime.messages exactly as Realtime v2.130.0 decides it (lib/realtime/tenants/
 * authorization.ex, get_read_policies_for_connection): inside a transaction, insert one probe row
 * per extension (broadcast, presence) for the topic, set `role`, `realtime.topic`,
 * `request.jwt.claims` and `request.headers` locally, read the probes back by id as that role, and
 * roll everything back. A probe that comes back means the extension may be read.
 */
import type postgres from "postgres";

export interface ReadPolicies {
  broadcast: boolean;
  presence: boolean;
}

export interface AuthorizationContext {
  topic: string;
  role: string;
  claims: Record<string, unknown>;
  headers: Record<string, string>;
}

class Rollback extends Error {}

export async function readPolicies(sql: postgres.Sql, context: AuthorizationContext): Promise<ReadPolicies> {
  let result: ReadPolicies | undefined;
  try {
    await sql.begin(async (tx) => {
      const [broadcast] = await tx`
        insert into realtime.messages (topic, extension) values (${context.topic}, 'broadcast') returning id`;
      const [presence] = await tx`
        insert into realtime.messages (topic, extension) values (${context.topic}, 'presence') returning id`;
      await tx`select
        set_config('role', ${context.role}, true),
        set_config('realtime.topic', ${context.topic}, true),
        set_config('request.jwt.claims', ${JSON.stringify(context.claims)}, true),
        set_config('request.headers', ${JSON.stringify(context.headers)}, true)`;
      const seen = await tx`
        select id from realtime.messages
        where topic = ${context.topic}
          and ((extension = 'broadcast' and id = ${broadcast.id}) or (extension = 'presence' and id = ${presence.id}))`;
      const ids = new Set(seen.map((row) => row.id));
      result = { broadcast: ids.has(broadcast.id), presence: ids.has(presence.id) };
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return result!;
}
