import { Hono } from "hono";
import { browserCors } from "../_shared/browser-cors.ts";
import type { Caller } from "../_shared/caller.ts";
import { type CallerEnv, requireCaller } from "../_shared/caller-middleware.ts";
import type { Language } from "../_shared/language.ts";

/**
 * POST /delete-account with the user's access token: deletes that user through the Auth admin API
 * (every row of theirs goes with auth.users by the foreign keys' cascades), then says goodbye in
 * the linked Telegram chat, if any. Anyone else (no token, the anon key, an ended session, a
 * deleted user) gets 401; a password-only session of a two-factor account 403 `mfa_required`.
 */
export interface DeleteAccountDeps {
  /** The shared authentication step (_shared/caller.ts): the caller, or the refusal to answer. */
  authenticate(request: Request): Promise<Caller | Response>;
  /** The linked Telegram chat and the profile's language, read before the profile goes. */
  linkedChat(userId: string): Promise<LinkedChat | null>;
  deleteUser(userId: string): Promise<void>;
  /** Sends the goodbye; throws on failure or timeout. */
  sayGoodbye(chat: LinkedChat): Promise<void>;
  canSayGoodbye: boolean;
}

export interface LinkedChat {
  chatId: number;
  language: Language;
}

export type Goodbye = "sent" | "failed" | "no_chat" | "not_configured";

/** Says goodbye in the chat; the account is gone either way, so a failure only misses the goodbye. */
async function goodbyeIn(
  deps: DeleteAccountDeps,
  chat: LinkedChat | null,
): Promise<Goodbye> {
  if (chat === null) return "no_chat";
  if (!deps.canSayGoodbye) return "not_configured";
  try {
    await deps.sayGoodbye(chat);
    return "sent";
  } catch (error) {
    console.error("delete-account: the goodbye was not delivered:", error);
    return "failed";
  }
}

export function createDeleteAccountApp(deps: DeleteAccountDeps) {
  const app = new Hono<CallerEnv>();
  app.use(browserCors("POST"));
  app.post("*", requireCaller(deps.authenticate), async (c) => {
    const { sub } = c.get("caller");
    const chat = await deps.linkedChat(sub);
    await deps.deleteUser(sub);
    return c.json({ deleted: true, goodbye: await goodbyeIn(deps, chat) });
  });
  app.all(
    "*",
    (c) => c.json({ error: "method_not_allowed", message: "Use POST." }, 405),
  );
  return app;
}
