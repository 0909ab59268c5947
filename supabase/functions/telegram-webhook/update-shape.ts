import { z } from "zod";

/**
 * The fields of an update the bot reads, checked against Telegram's real ranges before anything
 * reaches SQL: ids are integers Telegram can send (chat and user ids fit in 52 bits, so they are
 * safe JavaScript integers), text is at most 4,096 characters, callback data at most 64 bytes,
 * and no string the bot passes on holds U+0000, which Postgres text cannot store (a 500 would have
 * Telegram deliver the update again and again). Other fields pass through untouched.
 */
const id = z.number().int().min(-(2 ** 52)).max(2 ** 52);
/** A string of at most `max` characters that Postgres can store. */
const storable = (max: number) =>
  z.string().max(max).refine(
    (text) => !text.includes("\u0000"),
    "holds U+0000, which Postgres cannot store",
  );
const chat = z.object({ id }).passthrough();
const user = z.object({ id, username: storable(64).optional() })
  .passthrough();
const message = z.object({
  chat,
  from: user.optional(),
  text: storable(4096).optional(),
}).passthrough();

const updateFields = z.object({
  message: message.optional(),
  channel_post: message.optional(),
  my_chat_member: z.object({ chat, from: user }).passthrough().optional(),
  callback_query: z.object({
    id: z.string().max(64),
    from: user,
    data: storable(64).refine(
      (data) => new TextEncoder().encode(data).length <= 64,
      "at most 64 bytes",
    )
      .optional(),
    message: message.optional(),
  }).passthrough().optional(),
}).passthrough();

const updateId = z.object({
  update_id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
}).passthrough();

export type CheckedUpdate =
  | { kind: "ok"; update: Record<string, unknown> & { update_id: number } }
  | { kind: "not_an_update"; problem: string }
  | { kind: "out_of_range"; updateId: number; problem: string };

export function validateUpdate(body: unknown): CheckedUpdate {
  const withId = updateId.safeParse(body);
  if (!withId.success) {
    return {
      kind: "not_an_update",
      problem: "The body is not a Telegram update (update_id is missing).",
    };
  }
  const fields = updateFields.safeParse(body);
  if (!fields.success) {
    const issue = fields.error.issues[0];
    return {
      kind: "out_of_range",
      updateId: withId.data.update_id,
      problem: `${issue.path.join(".")}: ${issue.message}`,
    };
  }
  return { kind: "ok", update: withId.data };
}
