/**
 * A TCP proxy to a local port that a test can take down and bring back on the same port, to make
 * a service (the database) unreachable for a while.
 */
export interface TcpProxy {
  port: number;
  /** Refuses new connections and cuts the open ones. */
  down(): void;
  up(): void;
  close(): Promise<void>;
}

export function startTcpProxy(targetPort: number): TcpProxy {
  let listener: Deno.Listener | undefined;
  const open = new Set<Deno.Conn>();
  const pumps = new Set<Promise<unknown>>();
  let port = 0;

  const accept = async (current: Deno.Listener) => {
    for await (const client of current) {
      let server: Deno.Conn;
      try {
        server = await Deno.connect({ hostname: "127.0.0.1", port: targetPort });
      } catch {
        client.close();
        continue;
      }
      open.add(client);
      open.add(server);
      const pump = Promise.allSettled([
        client.readable.pipeTo(server.writable),
        server.readable.pipeTo(client.writable),
      ]).finally(() => {
        open.delete(client);
        open.delete(server);
      });
      pumps.add(pump);
      pump.finally(() => pumps.delete(pump));
    }
  };

  let accepting: Promise<void> = Promise.resolve();
  const up = () => {
    listener = Deno.listen({ hostname: "127.0.0.1", port });
    port = (listener.addr as Deno.NetAddr).port;
    accepting = accept(listener).catch(() => {});
  };
  const down = () => {
    listener?.close();
    listener = undefined;
    for (const conn of open) {
      try {
        conn.close();
      } catch {
        // already closed by the other side
      }
    }
    open.clear();
  };
  up();

  return {
    get port() {
      return port;
    },
    down,
    up,
    async close() {
      down();
      await accepting;
      await Promise.allSettled([...pumps]);
    },
  };
}
