/**
 * The control endpoints, so that a test or benchmark in another process can drive chaos mode and
 * read the counters:
 *
 *   GET    /_control/counters        calls per method, deliveries per chat, 429s, gaps, peaks
 *   GET    /_control/calls?method=M  the recorded calls (optionally of one method)
 *   GET    /_control/chaos           the active rules
 *   POST   /_control/chaos           add a rule (JSON, see chaos.ts) → {id}
 *   DELETE /_control/chaos[/ID]      remove one rule or all
 *   POST   /_control/reset           clear calls, counters, chaos and queued updates
 */
import type { BotApi } from "./bot.ts";
import type { Chaos } from "./chaos.ts";
import type { Counters, Reply } from "./reply.ts";

export const jsonBody = (body: Uint8Array): unknown => {
  try {
    return body.length ? JSON.parse(new TextDecoder().decode(body)) : {};
  } catch {
    return undefined;
  }
};

export const problem = (status: number, message: string): Reply => ({ status, body: { error: message } });

export function controlRoutes(
  deps: { api: BotApi; chaos: Chaos; counters: () => Counters; reset: () => void },
) {
  return (method: string, url: URL, body: Uint8Array): Reply | undefined => {
    const path = url.pathname;
    if (!path.startsWith("/_control/")) return undefined;
    if (method === "GET" && path === "/_control/counters") return { status: 200, body: deps.counters() };
    if (method === "GET" && path === "/_control/calls") {
      const only = url.searchParams.get("method");
      return { status: 200, body: deps.api.calls.filter((c) => !only || c.method === only) };
    }
    if (method === "GET" && path === "/_control/chaos") return { status: 200, body: deps.chaos.rules };
    if (method === "POST" && path === "/_control/chaos") {
      try {
        return { status: 201, body: { id: deps.chaos.add(jsonBody(body) as never) } };
      } catch (error) {
        return problem(400, `not a chaos rule: ${error instanceof Error ? error.message : error}`);
      }
    }
    if (method === "DELETE" && path === "/_control/chaos") {
      deps.chaos.clear();
      return { status: 204, body: "", contentType: "text/plain" };
    }
    const one = /^\/_control\/chaos\/(\d+)$/.exec(path);
    if (method === "DELETE" && one) {
      return deps.chaos.remove(Number(one[1]))
        ? { status: 204, body: "", contentType: "text/plain" }
        : problem(404, "no such rule");
    }
    if (method === "POST" && path === "/_control/reset") {
      deps.reset();
      return { status: 204, body: "", contentType: "text/plain" };
    }
    return problem(404, `no control endpoint ${method} ${path}`);
  };
}
