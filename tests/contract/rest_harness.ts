/**
 * Where the REST contract tests find the Data API. With SUPABASE_URL set they talk to a running
 * stack (the devstack gateway or `supabase start`); otherwise this harness starts devstack/rest on
 * a free port against TEST_DB_URL (an already migrated devstack database) and gives supabase-js a
 * fetch that maps `${url}/rest/v1/*` onto it, as the gateway would.
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { SignJWT } from "jose";
import postgres from "postgres";
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from "../../devstack/keys.ts";
import { startRest } from "../../devstack/rest/server.ts";

export interface RestContractEnv {
  /** Base URL supabase-js is created with. */
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  /** Superuser connection for arranging and checking data behind the API. */
  db: postgres.Sql;
  /** The fetch supabase-js and raw requests go through. */
  fetch: typeof fetch;
  close(): Promise<void>;
}

/** Why the suite cannot run here, or undefined when it can. */
export function restContractSkipReason(): string | undefined {
  const env = Deno.env.toObject();
  if (!env.TEST_DB_URL && !env.SUPABASE_DB_URL) {
    return "set TEST_DB_URL (a migrated devstack database) or SUPABASE_URL + SUPABASE_DB_URL";
  }
  return undefined;
}

export async function startRestContractEnv(): Promise<RestContractEnv> {
  const env = Deno.env.toObject();
  const dbUrl = env.TEST_DB_URL ?? env.SUPABASE_DB_URL;
  if (!dbUrl) throw new Error(restContractSkipReason());
  const jwtSecret = env.JWT_SECRET ?? DEMO_JWT_SECRET;
  const anonKey = env.SUPABASE_ANON_KEY ?? DEMO_ANON_KEY;
  const serviceRoleKey = env.SUPABASE_SERVICE_ROLE_KEY ?? DEMO_SERVICE_ROLE_KEY;
  const db = postgres(dbUrl, { max: 3, onnotice: () => {} });

  if (env.SUPABASE_URL) {
    return {
      url: env.SUPABASE_URL.replace(/\/+$/, ""),
      anonKey,
      serviceRoleKey,
      jwtSecret,
      db,
      fetch: globalThis.fetch.bind(globalThis),
      close: () => db.end({ timeout: 5 }),
    };
  }

  // Standalone: the Data API connects as authenticator, as PostgREST does.
  const authenticatorUrl = new URL(dbUrl);
  authenticatorUrl.username = "authenticator";
  authenticatorUrl.password = "";
  const rest = await startRest({
    dbUri: env.TEST_REST_DB_URI ?? authenticatorUrl.toString(),
    jwtSecret,
    serverPort: 0,
    dbPool: 4,
  });
  const prefix = `${rest.url}/rest/v1`;
  const gatewayFetch: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(prefix)) return fetch(request);
    return fetch(new Request(rest.url + request.url.slice(prefix.length), request));
  };
  return {
    url: rest.url,
    anonKey,
    serviceRoleKey,
    jwtSecret,
    db,
    fetch: gatewayFetch,
    async close() {
      await rest.close();
      await db.end({ timeout: 5 });
    },
  };
}

/** A supabase-js client that sends `token` (a user's access token, or an API key) as the bearer. */
export function clientFor(env: RestContractEnv, token: string): SupabaseClient {
  return createClient(env.url, env.anonKey, {
    accessToken: () => Promise.resolve(token),
    global: { fetch: env.fetch },
  });
}

/** A raw request to `/rest/v1${path}`, with the apikey header the gateway requires. */
export function restRequest(
  env: RestContractEnv,
  path: string,
  init: RequestInit & { token?: string | null } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("apikey", env.anonKey);
  if (init.token !== null && !headers.has("authorization")) {
    headers.set("authorization", `Bearer ${init.token ?? env.anonKey}`);
  }
  return env.fetch(`${env.url}/rest/v1${path}`, { ...init, headers });
}

export interface TestUser {
  id: string;
  email: string;
  token: string;
  client: SupabaseClient;
}

/** Mints an HS256 access token with GoTrue's claims for `sub`. */
export async function mintToken(
  secret: string,
  claims: Record<string, unknown>,
  expiresAt = Math.floor(Date.now() / 1000) + 3600,
): Promise<string> {
  return await new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));
}

/**
 * A user created directly in auth.users (the sign-up trigger creates the profile), optionally with
 * a linked Telegram chat, and a supabase-js client acting as them.
 */
export async function createTestUser(
  env: RestContractEnv,
  options: { telegram?: boolean } = {},
): Promise<TestUser> {
  const id = crypto.randomUUID();
  const email = `rest-contract-${id}@example.test`;
  await env.db`
    insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
    values (${id}, 'authenticated', 'authenticated', ${email}, '{"provider":"email"}', '{}', now(), now())`;
  if (options.telegram ?? true) {
    const chatId = String(1_000_000_000 + Math.floor(Math.random() * 8_000_000_000));
    await env
      .db`update public.profiles set telegram_chat_id = ${chatId}, telegram_linked_at = now() where id = ${id}`;
  }
  const token = await mintToken(env.jwtSecret, {
    sub: id,
    role: "authenticated",
    aud: "authenticated",
    email,
    phone: "",
    app_metadata: { provider: "email", providers: ["email"] },
    user_metadata: {},
    aal: "aal1",
    is_anonymous: false,
  });
  return { id, email, token, client: clientFor(env, token) };
}

export async function deleteTestUsers(env: RestContractEnv, users: TestUser[]): Promise<void> {
  if (users.length === 0) return;
  await env.db`delete from auth.users where id in ${env.db(users.map((user) => user.id))}`;
}
