/**
 * Phoenix channel frames as realtime-js (supabase-js 2.119.1) and Realtime v2.130.0 exchange them.
 *
 * vsn 1.0.0 and 2.0.0 both carry ordinary messages as JSON text `[join_ref, ref, topic, event,
 * payload]`. 2.0.0 adds binary frames for user broadcasts (realtime-js src/lib/serializer.ts,
 * Realtime lib/realtime_web/socket/v2_serializer.ex): a client's kind 3 push is decoded here (to
 * refuse it by name); broadcasts from the database go out as JSON for both versions.
 */

export type Vsn = "1.0.0" | "2.0.0";
export const SUPPORTED_VSNS: readonly Vsn[] = ["1.0.0", "2.0.0"];

export interface Frame {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

const KIND_USER_BROADCAST_PUSH = 3;
const JSON_ENCODING = 1;

export class ProtocolError extends Error {}

/** Reads one frame from the client; a frame that is not Phoenix's shape throws ProtocolError. */
export function decodeFrame(data: string | ArrayBuffer): Frame {
  if (typeof data !== "string") return decodeBinaryPush(new Uint8Array(data));
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new ProtocolError("frame is not JSON");
  }
  if (!Array.isArray(parsed) || parsed.length !== 5) {
    throw new ProtocolError("frame is not [join_ref, ref, topic, event, payload]");
  }
  const [joinRef, ref, topic, event, payload] = parsed;
  const refLike = (v: unknown) => v === null || typeof v === "string";
  if (!refLike(joinRef) || !refLike(ref) || typeof topic !== "string" || typeof event !== "string") {
    throw new ProtocolError("frame fields have the wrong types");
  }
  return { joinRef, ref, topic, event, payload };
}

/** A vsn 2.0.0 user broadcast push (kind 3): header lengths, then join_ref, ref, topic, event. */
function decodeBinaryPush(bytes: Uint8Array): Frame {
  if (bytes.length < 7 || bytes[0] !== KIND_USER_BROADCAST_PUSH) {
    throw new ProtocolError(`unknown binary frame kind ${bytes[0]}`);
  }
  const [joinRefSize, refSize, topicSize, eventSize, metaSize, encoding] = bytes.subarray(1, 7);
  const text = new TextDecoder();
  let offset = 7;
  const take = (n: number) => {
    const part = bytes.subarray(offset, offset + n);
    offset += n;
    return part;
  };
  const joinRef = text.decode(take(joinRefSize));
  const ref = text.decode(take(refSize));
  const topic = text.decode(take(topicSize));
  const userEvent = text.decode(take(eventSize));
  take(metaSize);
  const body = bytes.subarray(offset);
  const payload = encoding === JSON_ENCODING ? JSON.parse(text.decode(body)) : body;
  return {
    joinRef: joinRef || null,
    ref: ref || null,
    topic,
    event: "broadcast",
    payload: { type: "broadcast", event: userEvent, payload },
  };
}

export function encodeFrame(frame: Frame): string {
  return JSON.stringify([frame.joinRef, frame.ref, frame.topic, frame.event, frame.payload]);
}

/**
 * A broadcast from the database, as Realtime sends it to every serializer version: a JSON
 * `broadcast` frame with `{type, event, payload, meta: {id}}` (a Phoenix.Socket.Broadcast; the
 * binary kind 4 frame is only used upstream to relay a client's binary push, which this stand-in
 * refuses: lib/realtime_web/channels/realtime_channel/broadcast_handler.ex).
 */
export function encodeBroadcast(
  topic: string,
  event: string,
  payload: unknown,
  meta?: Record<string, unknown>,
): string {
  const body: Record<string, unknown> = { type: "broadcast", event, payload };
  if (meta) body.meta = meta;
  return encodeFrame({ joinRef: null, ref: null, topic, event: "broadcast", payload: body });
}

export function reply(frame: Frame, status: "ok" | "error", response: unknown): string {
  return encodeFrame({
    joinRef: frame.joinRef,
    ref: frame.ref,
    topic: frame.topic,
    event: "phx_reply",
    payload: { status, response },
  });
}
