/**
 * The devstack's Realtime (v2.130.0): Phoenix channels over WebSocket at /websocket (the gateway
 * serves it at /realtime/v1/websocket), broadcasts from the database delivered to the channels
 * whose policies let them read.
 *
 * Realtime reads new realtime.messages rows through logical replication; this stand-in LISTENs to
 * the `devstack_realtime` NOTIFY that the devstack bootstrap raises for each committed broadcast
 * row (devstack/postgres/bootstrap/30_realtime.sql), then reads the row.
 */
import postgres from "postgres";
import { z } from "zod";
import { keyResolver } from "../jwt-keys.ts";
import type { RunningService } from "../service.ts";
import { Connection, type Hub, type Subscription } from "./channels.ts";
import { SUPPORTED_VSNS, type Vsn } from "./protocol.ts";
import { TokenError, verifyToken } from "./tokens.ts";

export const RealtimeOptions = z.object({
  hostname: z.string().default("127.0.0.1"),
  /** 0 picks a free port. */
  port: z.number().int().min(0).max(65535).default(0),
  /** Superuser URL: Realtime connects as supabase_admin, which may insert probes and set roles. */
  databaseUrl: z.string().min(1),
  /** The JWT secret, or the JWKS the CLI hands the services (devstack/jwt-keys.ts). */
  jwtSecret: z.string().min(1),
});
export type RealtimeOptions = z.input<typeof RealtimeOptions>;

export interface RunningRealtime extends RunningService {
  /** Open WebSocket connections (for tests and the benchmark). */
  connections(): number;
}

interface StoredMessage {
  topic: string;
  event: string | null;
  payload: unknown;
  private: boolean | null;
  id: string;
}

class TopicHub implements Hub {
  #byTopic = new Map<string, Set<Subscription>>();
  add(subscription: Subscription) {
    const key = `${subscription.private}:${subscription.subTopic}`;
    let set = this.#byTopic.get(key);
    if (!set) this.#byTopic.set(key, set = new Set());
    set.add(subscription);
  }
  remove(subscription: Subscription) {
    const key = `${subscription.private}:${subscription.subTopic}`;
    const set = this.#byTopic.get(key);
    set?.delete(subscription);
    if (set?.size === 0) this.#byTopic.delete(key);
  }
  /** A private message reaches private channels only, a public one public channels only. */
  publish(message: StoredMessage) {
    const set = this.#byTopic.get(`${message.private === true}:${message.topic}`);
    if (!set) return;
    const payload = message.payload ?? {};
    for (const subscription of set) {
      if (!subscription.canReadBroadcast) continue;
      try {
        subscription.deliver(message.event ?? "", payload, { id: message.id });
      } catch (error) {
        console.error("[realtime] delivery failed:", error);
      }
    }
  }
}

export async function startRealtime(options: RealtimeOptions): Promise<RunningRealtime> {
  const config = RealtimeOptions.parse(options);
  const keys = keyResolver(config.jwtSecret);
  const sql = postgres(config.databaseUrl, {
    max: 4,
    onnotice: () => {},
    connection: { application_name: "devstack-realtime" },
  });
  const hub = new TopicHub();
  const sockets = new Set<WebSocket>();

  let listener: { unlisten(): Promise<void> };
  try {
    listener = await sql.listen("devstack_realtime", (notice) => {
      const { id } = JSON.parse(notice) as { id: string };
      sql<StoredMessage[]>`select topic, event, payload, private, id from realtime.messages where id = ${id}`
        .then((rows) => rows.forEach((row) => hub.publish(row)))
        .catch((error) => console.error("[realtime] reading a message failed:", error));
    });
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }

  const server = Deno.serve(
    { hostname: config.hostname, port: config.port, onListen: () => {} },
    async (request) => {
      const url = new URL(request.url);
      if (url.pathname !== "/websocket" && url.pathname !== "/socket/websocket") {
        return Response.json({ message: `${url.pathname} is not served by the devstack Realtime stand-in` }, {
          status: 404,
        });
      }
      if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
        return Response.json({ message: "Expected a WebSocket upgrade" }, { status: 400 });
      }
      const vsn = (url.searchParams.get("vsn") ?? "1.0.0") as Vsn;
      if (!SUPPORTED_VSNS.includes(vsn)) {
        return Response.json({ message: `Unsupported serializer version: ${vsn}` }, { status: 400 });
      }
      // RealtimeWeb.UserSocket.connect: the apikey (query or x-api-key header) must be a valid JWT.
      const apiKey = url.searchParams.get("apikey") ?? request.headers.get("x-api-key") ?? "";
      try {
        await verifyToken(apiKey, keys);
      } catch (error) {
        const message = error instanceof TokenError ? error.reason : "Unauthorized";
        return Response.json({ message }, { status: 403 });
      }
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        if (name !== "authorization" && name !== "apikey" && name !== "cookie") headers[name] = value;
      });
      const { socket, response } = Deno.upgradeWebSocket(request);
      socket.binaryType = "arraybuffer";
      const connection = new Connection({
        sql,
        keys,
        hub,
        vsn,
        apiKey,
        headers,
        send: (data) => {
          if (socket.readyState === WebSocket.OPEN) socket.send(data);
        },
      });
      // Frames of one socket are handled in order, as one Phoenix channel process would.
      let queue = Promise.resolve();
      // Tracked from the upgrade, not from its open event: a socket still opening when the
      // server stops must be closed too, or the server's graceful shutdown waits for it forever.
      sockets.add(socket);
      socket.onopen = () => {
        if (closing) socket.close(1001, "server shutting down");
      };
      socket.onmessage = (event) => {
        queue = queue.then(() => connection.receive(event.data)).catch((error) =>
          console.error("[realtime] frame failed:", error)
        );
      };
      socket.onclose = () => {
        sockets.delete(socket);
        connection.closeAll();
      };
      return response;
    },
  );

  let closing: Promise<void> | undefined;
  return {
    url: `http://${config.hostname}:${server.addr.port}`,
    connections: () => sockets.size,
    close() {
      closing ??= (async () => {
        for (const socket of sockets) {
          if (socket.readyState !== WebSocket.OPEN) continue; // closed on open, above
          socket.close(1001, "server shutting down");
        }
        await server.shutdown();
        await listener.unlisten().catch(() => {});
        await sql.end({ timeout: 1 });
      })();
      return closing;
    },
  };
}
