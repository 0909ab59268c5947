/**
 * POST /delete-account with the user's access token: deletes that user through the Auth admin API
 * (every row of theirs goes with auth.users by the foreign keys' cascades), then says goodbye in
 * the linked Telegram chat, if any. Anyone else (no token, the anon key, an ended session, a
 * deleted user) gets 401; a password-only session of a two-factor account 403 `mfa_required`.
 */
export interface DeleteAccountDeps {
  /** The shared authentication step (_shared/caller.ts): the caller, or the refusal to answer. */
  authenticate(request: Request): Promise<{ sub: string } | Response>;
  /** The linked Telegram chat, read before the profile goes. */
  linkedChat(userId: string): Promise<number | null>;
  deleteUser(userId: string): Promise<void>;
  /** Sends the goodbye; throws on failure or timeout. */
  sayGoodbye(chatId: number): Promise<void>;
  canSayGoodbye: boolean;
}

export type Goodbye = "sent" | "failed" | "no_chat" | "not_configured";

const json = (body: unknown, status = 200) => Response.json(body, { status });

export function createDeleteAccountHandler(deps: DeleteAccountDeps) {
  return async (request: Request): Promise<Response> => {
    if (request.method === "OPTIONS") {
      return new Response(null, { status: 204 });
    }
    if (request.method !== "POST") {
      return json({ error: "method_not_allowed", message: "Use POST." }, 405);
    }
    const caller = await deps.authenticate(request);
    if (caller instanceof Response) return caller;
    const user = { id: caller.sub };
    const chatId = await deps.linkedChat(user.id);
    await deps.deleteUser(user.id);
    let goodbye: Goodbye = "no_chat";
    if (chatId !== null) {
      if (!deps.canSayGoodbye) goodbye = "not_configured";
      else {
        try {
          await deps.sayGoodbye(chatId);
          goodbye = "sent";
        } catch (error) {
          // The account is gone either way; a chat that cannot be reached only misses the goodbye.
          console.error(
            "delete-account: the goodbye was not delivered:",
            error,
          );
          goodbye = "failed";
        }
      }
    }
    return json({ deleted: true, goodbye });
  };
}
