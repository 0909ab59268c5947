/**
 * Configuration of the devstack Data API under PostgREST's own environment variable names, so a
 * PostgREST deployment's settings work unchanged.
 */
import { z } from "zod";
import type { TxEnd } from "./preferences.ts";

export interface RestConfig {
  /** Connection string of the login role the API connects as (PostgREST: authenticator). */
  dbUri: string;
  /** Exposed schemas; the first is the default for requests without a profile header. */
  dbSchemas: string[];
  /** Role for requests without a JWT. */
  dbAnonRole: string;
  /** Extra schemas appended to search_path per request (PostgREST db-extra-search-path). */
  dbExtraSearchPath: string[];
  /** HS256 secret, or a JWKS (`{"keys":[...]}`) as PGRST_JWT_SECRET takes it. */
  jwtSecret: string;
  /** Audience the JWT must carry, if set. */
  jwtAud?: string;
  serverHost: string;
  /** 0 picks a free port. */
  serverPort: number;
  /** External URL of the API, for host and basePath in the OpenAPI document. */
  openapiServerProxyUri?: string;
  /** Upper bound on rows returned by a read. */
  dbMaxRows?: number;
  /** Connection pool size. */
  dbPool: number;
  /** Largest request body accepted, in bytes (413 above). */
  maxBodyBytes: number;
  /** How a request's transaction ends, and whether `Prefer: tx=` may override it. */
  dbTxEnd: TxEnd;
  /** Aggregate functions in `select` (PostgREST db-aggregates-enabled). */
  dbAggregatesEnabled: boolean;
}

const commaList = (fallback: string) =>
  z.string().optional().transform((value) =>
    (value ?? fallback).split(",").map((item) => item.trim()).filter((item) => item !== "")
  );

const optionalInt = z.string().optional().transform((value, ctx) => {
  if (value === undefined || value.trim() === "") return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    ctx.addIssue({ code: "custom", message: `expected a non-negative integer, got "${value}"` });
    return z.NEVER;
  }
  return number;
});

/** The environment variables, validated; any other PGRST_* variable is refused at startup. */
export const restEnvSchema = z.object({
  PGRST_DB_URI: z.string().min(1, "PGRST_DB_URI is required"),
  PGRST_DB_SCHEMAS: commaList("public").refine((list) => list.length > 0, "PGRST_DB_SCHEMAS is empty"),
  PGRST_DB_ANON_ROLE: z.string().min(1).default("anon"),
  PGRST_DB_EXTRA_SEARCH_PATH: commaList("public"),
  PGRST_JWT_SECRET: z.string().min(32, "PGRST_JWT_SECRET must be at least 32 characters"),
  PGRST_JWT_AUD: z.string().optional(),
  PGRST_SERVER_HOST: z.string().default("127.0.0.1"),
  PGRST_SERVER_PORT: optionalInt,
  PGRST_OPENAPI_SERVER_PROXY_URI: z.string().url().optional(),
  PGRST_DB_MAX_ROWS: optionalInt,
  PGRST_DB_POOL: optionalInt,
  PGRST_MAX_BODY_BYTES: optionalInt,
  PGRST_DB_TX_END: z.enum(["commit", "commit-allow-override", "rollback", "rollback-allow-override"])
    .default("commit"),
  PGRST_DB_AGGREGATES_ENABLED: z.enum(["true", "false"]).default("false"),
});

export function restConfigFromEnv(env: Record<string, string | undefined>): RestConfig {
  const known = new Set(Object.keys(restEnvSchema.shape));
  const unknown = Object.keys(env).filter((name) =>
    name.startsWith("PGRST_") && env[name] !== undefined && !known.has(name)
  ).sort();
  if (unknown.length > 0) {
    throw new Error(
      `Invalid Data API configuration: unsupported setting${unknown.length > 1 ? "s" : ""} ${
        unknown.join(", ")
      } ` +
        "(the devstack refuses PostgREST settings it does not implement; see devstack/rest/README.md)",
    );
  }
  const parsed = restEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid Data API configuration:\n  ${problems.join("\n  ")}`);
  }
  const e = parsed.data;
  return {
    dbUri: e.PGRST_DB_URI,
    dbSchemas: e.PGRST_DB_SCHEMAS,
    dbAnonRole: e.PGRST_DB_ANON_ROLE,
    dbExtraSearchPath: e.PGRST_DB_EXTRA_SEARCH_PATH,
    jwtSecret: e.PGRST_JWT_SECRET,
    jwtAud: e.PGRST_JWT_AUD,
    serverHost: e.PGRST_SERVER_HOST,
    serverPort: e.PGRST_SERVER_PORT ?? 3000,
    openapiServerProxyUri: e.PGRST_OPENAPI_SERVER_PROXY_URI,
    dbMaxRows: e.PGRST_DB_MAX_ROWS,
    dbPool: e.PGRST_DB_POOL ?? 10,
    maxBodyBytes: e.PGRST_MAX_BODY_BYTES ?? 1024 * 1024,
    dbTxEnd: e.PGRST_DB_TX_END,
    dbAggregatesEnabled: e.PGRST_DB_AGGREGATES_ENABLED === "true",
  };
}

/** Options of `startRest`: the required settings, the rest defaulted as from an empty environment. */
export type RestOptions =
  & Pick<RestConfig, "dbUri" | "jwtSecret">
  & Partial<Omit<RestConfig, "dbUri" | "jwtSecret">>;

export function withDefaults(options: RestOptions): RestConfig {
  return {
    dbSchemas: ["public"],
    dbAnonRole: "anon",
    dbExtraSearchPath: ["public"],
    serverHost: "127.0.0.1",
    serverPort: 0,
    dbPool: 10,
    maxBodyBytes: 1024 * 1024,
    dbTxEnd: "commit",
    dbAggregatesEnabled: false,
    ...options,
  };
}
