/**
 * Starts the devstack Data API: a connection pool as the authenticator role, the schema cache
 * (reloaded on `NOTIFY pgrst, 'reload schema'`, as PostgREST does) and the HTTP server.
 */
import postgres from "postgres";
import { keyResolver } from "../jwt-keys.ts";
import type { RunningService } from "../service.ts";
import { type RestOptions, withDefaults } from "./config.ts";
import { handleRequest, type RestContext } from "./app.ts";
import { openApiTarget } from "./openapi.ts";
import { loadSchemaCache, type SchemaCache } from "./schema-cache.ts";

export interface RunningRest extends RunningService {
  /** Reloads the schema cache now (also triggered by `NOTIFY pgrst, 'reload schema'`). */
  reloadSchemaCache(): Promise<void>;
}

export async function startRest(options: RestOptions): Promise<RunningRest> {
  const config = withDefaults(options);
  const sql = postgres(config.dbUri, {
    max: config.dbPool,
    prepare: false,
    onnotice: () => {},
    connection: { application_name: "devstack-rest" },
  });
  let cache: SchemaCache;
  try {
    cache = await loadSchemaCache(sql, config.dbSchemas);
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }
  const reloadSchemaCache = async () => {
    cache = await loadSchemaCache(sql, config.dbSchemas);
  };
  const listener = await sql.listen("pgrst", (payload) => {
    if (payload === "" || payload === "reload schema") {
      reloadSchemaCache().catch((error) => console.error("devstack rest: schema cache reload failed", error));
    }
  });

  let port = config.serverPort;
  const context: RestContext = {
    sql,
    config,
    secret: keyResolver(config.jwtSecret),
    cache: () => cache,
    openApiTarget: () => openApiTarget(config.openapiServerProxyUri, config.serverHost, port),
  };
  const server = Deno.serve(
    { hostname: config.serverHost, port: config.serverPort, onListen: () => {} },
    (req) => handleRequest(req, context),
  );
  port = server.addr.port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${config.serverHost.includes(":") ? `[${config.serverHost}]` : config.serverHost}:${port}`,
    reloadSchemaCache,
    close() {
      closing ??= (async () => {
        await server.shutdown();
        await listener.unlisten().catch(() => {});
        await sql.end({ timeout: 5 });
      })();
      return closing;
    },
  };
}
