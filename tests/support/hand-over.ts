import type postgres from "postgres";
import { startGateway } from "../../devstack/gateway/server.ts";
import { DEMO_ANON_KEY, DEMO_SERVICE_ROLE_KEY } from "../../devstack/keys.ts";
import { startPgNet } from "../../devstack/pgnet/worker.ts";
import { sleep } from "../../supabase/functions/_shared/sleep.ts";

/**
 * The path a run's hand-over takes in production: private.invoke_reminders_function queues a POST
 * to Vault's project_url + /functions/v1/reminders, the pg_net worker makes it, the gateway routes
 * it to the functions host. Starts the devstack's gateway and pg_net worker and points Vault at
 * them; close() stops both and removes the secrets. `delayMs`: each request reaches the function
 * that much later (pg_net's latency, a cold start), as a forwarder between the gateway and the host.
 */
export async function startHandOverPath(
  sql: postgres.Sql,
  options: { dbUrl: string; functionsUrl: string; remindersSecret: string; delayMs?: number },
) {
  const delayMs = options.delayMs ?? 0;
  const forwarder = delayMs > 0
    ? Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (request) => {
      await sleep(delayMs);
      const url = new URL(request.url);
      return await fetch(options.functionsUrl + url.pathname + url.search, {
        method: request.method,
        headers: request.headers,
        body: request.body,
      });
    })
    : undefined;
  const gateway = await startGateway({
    port: 0,
    apiKeys: [DEMO_ANON_KEY, DEMO_SERVICE_ROLE_KEY],
    upstreams: { functions: forwarder ? `http://127.0.0.1:${forwarder.addr.port}` : options.functionsUrl },
  });
  const [{ since }] = await sql<{ since: string }[]>`
    select coalesce(max(id), 0)::text as since from net._http_response`;
  const pgNet = await startPgNet({ databaseUrl: options.dbUrl });
  await sql`delete from vault.secrets where name in ('project_url', 'reminders_secret')`;
  await sql`select vault.create_secret(${gateway.url}, 'project_url')`;
  await sql`select vault.create_secret(${options.remindersSecret}, 'reminders_secret')`;
  return {
    /** The reports of the runs pg_net started (net._http_response), oldest first. */
    async runReports(): Promise<Record<string, number>[]> {
      const rows = await sql<
        { content: string | null; status_code: number | null }[]
      >`
        select content, status_code from net._http_response where id > ${since}::bigint order by id`;
      return rows.map((row) =>
        row.status_code === 200 && row.content ? JSON.parse(row.content) : { status: row.status_code ?? 0 }
      );
    },
    async close() {
      await pgNet.close();
      await gateway.close();
      await forwarder?.shutdown();
      await sql`delete from vault.secrets where name in ('project_url', 'reminders_secret')`;
    },
  };
}
