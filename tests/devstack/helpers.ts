/** Small helpers shared by the devstack tests. */

export interface EchoServer {
  url: string;
  /** Requests received so far. */
  received: { method: string; path: string; search: string; headers: Headers; body: string }[];
  close(): Promise<void>;
}

/**
 * A tiny upstream that answers every request with a JSON description of it; `/redirect` answers a
 * 303 to https://example.com/welcome, as GoTrue's /verify does.
 */
export function startEchoServer(name: string): Promise<EchoServer> {
  const received: EchoServer["received"] = [];
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: ({ port }) =>
        resolve({ url: `http://127.0.0.1:${port}`, received, close: () => server.shutdown() }),
    }, async (request) => {
      const url = new URL(request.url);
      const body = await request.text();
      received.push({
        method: request.method,
        path: url.pathname,
        search: url.search,
        headers: request.headers,
        body,
      });
      if (url.pathname === "/redirect") {
        return new Response(null, { status: 303, headers: { location: "https://example.com/welcome" } });
      }
      return Response.json({
        upstream: name,
        method: request.method,
        path: url.pathname,
        search: url.search,
        body,
        headers: Object.fromEntries(request.headers),
      }, { headers: { "content-range": "0-0/1", "x-upstream": name } });
    });
  });
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function unusedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
