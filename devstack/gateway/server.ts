import { type Context, Hono } from "hono";
import { z } from "zod";
import type { RunningService } from "../service.ts";
import { requireApiKey } from "./apikey.ts";
import { cors } from "./cors.ts";
import { normalizedRequest } from "./normalize.ts";
import { forward, forwardedSearch } from "./proxy.ts";
import { relayWebSocket } from "./websocket.ts";

const upstreamUrl = z.string().url().transform((url) => url.replace(/\/+$/, ""));

export const GatewayOptions = z.object({
  /** 54321 like `supabase start`; 0 picks a free port. */
  port: z.number().int().min(0).max(65535).default(54321),
  hostname: z.string().default("127.0.0.1"),
  /** The keys accepted in `apikey` on /auth/v1 and /rest/v1 (anon and service_role). */
  apiKeys: z.array(z.string().min(1)).min(1),
  /** Upstreams; each may also be set later with `setUpstream` (the gateway usually starts first). */
  upstreams: z.object({
    auth: upstreamUrl.optional(),
    rest: upstreamUrl.optional(),
    functions: upstreamUrl.optional(),
    realtime: upstreamUrl.optional(),
  }).default({}),
  /**
   * How long /functions/v1 may take to start answering before the gateway gives up with 504, as
   * the hosted platform's request idle timeout and `supabase start`'s Kong (`read_timeout: 150000`
   * on functions-v1, supabase/cli internal/start/templates/kong.yml) do.
   */
  functionsReadTimeoutMs: z.number().int().positive().default(150_000),
});
export type GatewayOptions = z.input<typeof GatewayOptions>;

export type UpstreamName = "auth" | "rest" | "functions" | "realtime";

export interface RunningGateway extends RunningService {
  /** Points a route prefix at an upstream (base URL without trailing slash). */
  setUpstream(name: UpstreamName, url: string): void;
}

/** Paths under /auth/v1 that e-mail links and OAuth redirects open without an apikey. */
const OPEN_AUTH_PATHS = ["/verify", "/callback", "/authorize", "/.well-known/jwks.json"];

type Env = { Bindings: { clientAddress?: string } };

const corsHeaders = cors();
const isFunctionsPath = (pathname: string) => pathname.startsWith("/functions/v1/");

/** Builds the gateway's routes; `upstreamOf` is read per request so upstreams can change. */
export function createGatewayApp(
  apiKeys: readonly string[],
  upstreamOf: (name: UpstreamName) => string | undefined,
  functionsReadTimeoutMs = 150_000,
) {
  const app = new Hono<Env>();
  const apiKey = requireApiKey(apiKeys);

  type RouteOptions = { hideQueryKey?: boolean; readTimeoutMs?: number };
  const proxyTo = (name: UpstreamName, prefix: string, route: RouteOptions = {}) => (c: Context<Env>) => {
    const upstream = upstreamOf(name);
    if (!upstream) {
      return c.json({ message: `The ${name} service is not running` }, 502);
    }
    const pathname = new URL(c.req.url).pathname;
    const path = pathname.slice(prefix.length) || "/";
    return forward(c.req.raw, { upstream, path, prefix, clientAddress: c.env?.clientAddress, ...route });
  };

  // Kong's cors plugin sits on the auth, rest and realtime routes. Functions get none: on the hosted
  // platform a function answers its own preflight and sets its own CORS headers
  // (supabase.com/docs/guides/functions/cors), so a function that forgets fails in the browser here too.
  app.use("*", (c, next) => isFunctionsPath(new URL(c.req.url).pathname) ? next() : corsHeaders(c, next));

  app.use("/auth/v1/*", async (c, next) => {
    const path = new URL(c.req.url).pathname.slice("/auth/v1".length);
    const open = OPEN_AUTH_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
    return open ? await next() : await apiKey(c, next);
  });
  // key-auth takes the key from the `apikey` header or query parameter; a key in the query string
  // is not forwarded (see devstack/gateway/README.md: PostgREST would read it as a filter).
  app.all("/auth/v1/*", proxyTo("auth", "/auth/v1", { hideQueryKey: true }));

  app.use("/rest/v1/*", apiKey);
  app.all("/rest/v1/*", proxyTo("rest", "/rest/v1", { hideQueryKey: true }));
  app.all("/rest/v1", proxyTo("rest", "/rest/v1", { hideQueryKey: true }));

  // The functions host checks verify_jwt itself; the gateway only routes.
  app.all(
    "/functions/v1/*",
    proxyTo("functions", "/functions/v1", { readTimeoutMs: functionsReadTimeoutMs }),
  );

  // Realtime's WebSocket (key-auth, like Kong's realtime-v1-ws route); the apikey stays in the
  // query, where Realtime reads it. Any other Realtime path is passed on, for it to refuse.
  app.use("/realtime/v1/*", apiKey);
  app.all("/realtime/v1/*", (c) => {
    const upstream = upstreamOf("realtime");
    if (!upstream) return c.json({ message: "The realtime service is not running" }, 502);
    const url = new URL(c.req.url);
    const path = url.pathname.slice("/realtime/v1".length) || "/";
    if (c.req.header("upgrade")?.toLowerCase() === "websocket") {
      return relayWebSocket(c.req.raw, `${upstream}${path}${forwardedSearch(url)}`);
    }
    return forward(c.req.raw, {
      upstream,
      path,
      prefix: "/realtime/v1",
      clientAddress: c.env?.clientAddress,
    });
  });

  app.notFound((c) => c.json({ message: "no Route matched with those values" }, 404));
  app.onError((error, c) => {
    console.error("[gateway]", error);
    return c.json({ message: "An unexpected error occurred" }, 500);
  });
  return app;
}

/** Starts the API gateway (Kong's role in Supabase): one URL in front of auth, rest and functions. */
// deno-lint-ignore require-await -- async so that a failed bind rejects instead of throwing
export async function startGateway(
  options: GatewayOptions,
  hooks: { onResponse?: (request: Request, status: number, ms: number) => void } = {},
): Promise<RunningGateway> {
  const config = GatewayOptions.parse(options);
  const upstreams: Partial<Record<UpstreamName, string>> = { ...config.upstreams };
  const app = createGatewayApp(config.apiKeys, (name) => upstreams[name], config.functionsReadTimeoutMs);

  const server = Deno.serve(
    { port: config.port, hostname: config.hostname, onListen: () => {} },
    async (request, info) => {
      const began = performance.now();
      const response = await app.fetch(normalizedRequest(request), {
        clientAddress: info.remoteAddr.hostname,
      });
      hooks.onResponse?.(request, response.status, performance.now() - began);
      return response;
    },
  );
  let closing: Promise<void> | undefined;
  return {
    url: `http://${config.hostname}:${server.addr.port}`,
    setUpstream(name, url) {
      upstreams[name] = upstreamUrl.parse(url);
    },
    close() {
      closing ??= server.shutdown();
      return closing;
    },
  };
}
