/**
 * `deno run -A devstack/rest/main.ts`: the devstack Data API configured from PostgREST's
 * environment variables (PGRST_DB_URI, PGRST_JWT_SECRET, PGRST_DB_SCHEMAS, ...).
 */
import { restConfigFromEnv } from "./config.ts";
import { startRest } from "./server.ts";

if (import.meta.main) {
  const config = restConfigFromEnv(Deno.env.toObject());
  const rest = await startRest(config);
  console.log(`devstack rest: listening on ${rest.url} (schemas: ${config.dbSchemas.join(", ")})`);
  const stop = async () => {
    await rest.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}
