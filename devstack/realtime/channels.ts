/**
 * One WebSocket connection's channels, as RealtimeWeb.RealtimeChannel (Realtime v2.130.0,
 * lib/realtime_web/channels/realtime_channel.ex) runs them: phx_join with its config and access
 * token, access_token refreshes, phx_leave, the heartbeat on the `phoenix` topic, and a channel
 * closed with a `system` error when its token expires or its read permission is revoked.
 *
 * Strict: what this stand-in does not implement (postgres_changes, presence, broadcasts sent by
 * clients, replay) is refused by name in Realtime's error shape, never silently ignored.
 */
import type postgres from "postgres";
import type { KeyResolver } from "../jwt-keys.ts";
import { readPolicies } from "./authorization.ts";
import {
  decodeFrame,
  encodeBroadcast,
  encodeFrame,
  type Frame,
  ProtocolError,
  reply,
  type Vsn,
} from "./protocol.ts";
import { TokenError, verifyToken } from "./tokens.ts";

export interface Subscription {
  /** The topic without its `realtime:` prefix, as policies and realtime.messages see it. */
  subTopic: string;
  private: boolean;
  /** Whether the broadcast read policy let this subscriber in (always true on public channels). */
  canReadBroadcast: boolean;
  deliver(event: string, payload: unknown, meta?: Record<string, unknown>): void;
}

export interface Hub {
  add(subscription: Subscription): void;
  remove(subscription: Subscription): void;
}

export interface ConnectionContext {
  sql: postgres.Sql;
  keys: KeyResolver;
  hub: Hub;
  vsn: Vsn;
  /** The apikey the socket connected with: a channel's token when its join carries none. */
  apiKey: string;
  headers: Record<string, string>;
  send(data: string | Uint8Array): void;
}

interface Channel {
  topic: string;
  joinRef: string | null;
  accessToken: string;
  subscription: Subscription;
  expiryTimer?: ReturnType<typeof setTimeout>;
}

const UNSUPPORTED = "the devstack Realtime stand-in does not support";
/** Realtime caps its token re-check timer at an hour (@confirm_token_ms_max_interval). */
const MAX_CONFIRM_MS = 60 * 60 * 1000;

export class Connection {
  #channels = new Map<string, Channel>();
  constructor(private readonly context: ConnectionContext) {}

  async receive(data: string | ArrayBuffer): Promise<void> {
    let frame: Frame;
    try {
      frame = decodeFrame(data);
    } catch (error) {
      if (error instanceof ProtocolError) return; // Phoenix drops frames it cannot decode
      throw error;
    }
    if (frame.topic === "phoenix" && frame.event === "heartbeat") {
      return this.context.send(reply(frame, "ok", {}));
    }
    if (frame.event === "phx_join") return await this.join(frame);
    const channel = this.#channels.get(frame.topic);
    if (!channel || channel.joinRef !== frame.joinRef) {
      // Phoenix's answer to a push on a topic this socket has not joined.
      return this.context.send(reply(frame, "error", { reason: "unmatched topic" }));
    }
    switch (frame.event) {
      case "phx_leave":
        this.context.send(reply(frame, "ok", {}));
        return this.close(channel);
      case "access_token":
        return await this.refreshToken(channel, frame);
      case "broadcast":
        return this.context.send(
          reply(frame, "error", {
            reason: `${UNSUPPORTED} broadcasts sent by clients: broadcast from the database`,
          }),
        );
      case "presence":
        return this.context.send(reply(frame, "error", { reason: `${UNSUPPORTED} presence` }));
      default:
        return this.context.send(
          reply(frame, "error", { reason: `${UNSUPPORTED} the event \`${frame.event}\`` }),
        );
    }
  }

  /** Ends every channel (the socket closed). */
  closeAll(): void {
    for (const channel of this.#channels.values()) this.forget(channel);
  }

  private async join(frame: Frame): Promise<void> {
    const refuse = (reason: string) => this.context.send(reply(frame, "error", { reason }));
    if (!frame.topic.startsWith("realtime:")) return refuse("unmatched topic");
    const subTopic = frame.topic.slice("realtime:".length);
    if (subTopic === "") return refuse("TopicNameRequired: You must provide a topic name");

    const params = (frame.payload ?? {}) as Record<string, unknown>;
    const config = (params.config ?? {}) as Record<string, unknown>;
    const unsupported = unsupportedConfig(config);
    if (unsupported) return refuse(unsupported);

    // A second join of a topic replaces the first, as Phoenix does.
    const previous = this.#channels.get(frame.topic);
    if (previous) this.close(previous);

    const accessToken = typeof params.access_token === "string"
      ? params.access_token
      : typeof params.user_token === "string"
      ? params.user_token
      : this.context.apiKey;
    const isPrivate = config.private === true;

    const channel: Channel = {
      topic: frame.topic,
      joinRef: frame.joinRef,
      accessToken,
      subscription: {
        subTopic,
        private: isPrivate,
        canReadBroadcast: !isPrivate,
        deliver: (event, payload, meta) =>
          this.context.send(encodeBroadcast(frame.topic, event, payload, meta)),
      },
    };
    try {
      await this.authorize(channel);
    } catch (error) {
      if (error instanceof TokenError) return refuse(error.reason);
      if (error instanceof ReadRefused) return refuse(`Unauthorized: ${error.message}`);
      // authorization.ex turns a Postgres error raised by a policy into :rls_policy_error, which
      // the join answers like a refusal; anything else is :unable_to_set_policies.
      if (isPostgresError(error)) {
        console.error("[realtime] RlsPolicyError:", error.message);
        return refuse(`Unauthorized: ${readRefusal(subTopic)}`);
      }
      console.error("[realtime] join failed:", error);
      return refuse("Realtime was unable to connect to the project database");
    }
    this.#channels.set(frame.topic, channel);
    this.context.hub.add(channel.subscription);
    this.context.send(reply(frame, "ok", { postgres_changes: [] }));
  }

  /** Checks the channel's token and, on a private channel, its read policy; arms the expiry. */
  private async authorize(channel: Channel): Promise<void> {
    const token = await verifyToken(channel.accessToken, this.context.keys);
    if (channel.subscription.private) {
      const policies = await readPolicies(this.context.sql, {
        topic: channel.subscription.subTopic,
        role: token.role,
        claims: token.claims,
        headers: this.context.headers,
      });
      if (!policies.broadcast && !policies.presence) {
        throw new ReadRefused(readRefusal(channel.subscription.subTopic));
      }
      channel.subscription.canReadBroadcast = policies.broadcast;
    }
    clearTimeout(channel.expiryTimer);
    const wait = Math.min(token.exp * 1000 - Date.now(), MAX_CONFIRM_MS);
    channel.expiryTimer = setTimeout(() => void this.confirmToken(channel), Math.max(wait, 0));
  }

  /** The re-check Realtime schedules for a token's expiry (handle_info(:confirm_token, ...)). */
  private async confirmToken(channel: Channel): Promise<void> {
    try {
      const token = await verifyToken(channel.accessToken, this.context.keys);
      const wait = Math.min(token.exp * 1000 - Date.now(), MAX_CONFIRM_MS);
      channel.expiryTimer = setTimeout(() => void this.confirmToken(channel), Math.max(wait, 0));
    } catch (error) {
      this.shutdown(channel, error instanceof TokenError ? error.message : String(error));
    }
  }

  private async refreshToken(channel: Channel, frame: Frame): Promise<void> {
    const token = (frame.payload as Record<string, unknown> | null)?.access_token;
    // Realtime ignores a missing token, the same token, and publishable (sb_) keys.
    if (typeof token !== "string" || token === channel.accessToken || token.startsWith("sb_")) return;
    const couldRead = channel.subscription.canReadBroadcast;
    channel.accessToken = token;
    try {
      await this.authorize(channel);
    } catch (error) {
      if (error instanceof TokenError) return this.shutdown(channel, error.message);
      if (error instanceof ReadRefused || (couldRead && !channel.subscription.canReadBroadcast)) {
        return this.shutdown(
          channel,
          `You no longer have permission to read from this Channel topic: ${channel.subscription.subTopic}`,
        );
      }
      console.error("[realtime] token refresh failed:", error);
      return this.shutdown(channel, "Realtime was unable to connect to the project database");
    }
    if (couldRead && !channel.subscription.canReadBroadcast) {
      this.shutdown(
        channel,
        `You no longer have permission to read from this Channel topic: ${channel.subscription.subTopic}`,
      );
    }
  }

  /** Realtime's shutdown_response: a `system` error naming the channel, then the channel closes. */
  private shutdown(channel: Channel, message: string): void {
    this.context.send(encodeFrame({
      joinRef: channel.joinRef,
      ref: null,
      topic: channel.topic,
      event: "system",
      payload: { extension: "system", status: "error", message, channel: channel.subscription.subTopic },
    }));
    this.close(channel);
  }

  private close(channel: Channel): void {
    this.forget(channel);
    this.context.send(encodeFrame({
      joinRef: channel.joinRef,
      ref: channel.joinRef,
      topic: channel.topic,
      event: "phx_close",
      payload: {},
    }));
  }

  private forget(channel: Channel): void {
    clearTimeout(channel.expiryTimer);
    this.context.hub.remove(channel.subscription);
    if (this.#channels.get(channel.topic) === channel) this.#channels.delete(channel.topic);
  }
}

class ReadRefused extends Error {}

const readRefusal = (topic: string) =>
  `You do not have permissions to read from this Channel topic: ${topic}`;

/** An error Postgres raised (postgres.js PostgresError), as opposed to a connection failure. */
function isPostgresError(error: unknown): error is Error {
  return error instanceof Error && error.name === "PostgresError";
}

/** The join config this stand-in cannot honour, named; undefined when it can. */
function unsupportedConfig(config: Record<string, unknown>): string | undefined {
  const changes = config.postgres_changes;
  if (Array.isArray(changes) && changes.length > 0) {
    return `RealtimeDisabledForConfiguration: ${UNSUPPORTED} postgres_changes: broadcast from the database instead`;
  }
  const presence = (config.presence ?? {}) as Record<string, unknown>;
  if (presence.enabled === true) {
    return `RealtimeDisabledForConfiguration: ${UNSUPPORTED} presence`;
  }
  const broadcast = (config.broadcast ?? {}) as Record<string, unknown>;
  if (broadcast.replay !== undefined && broadcast.replay !== null) {
    return `UnableToReplayMessages: ${UNSUPPORTED} broadcast replay`;
  }
  return undefined;
}
