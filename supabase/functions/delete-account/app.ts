/**
 * POST /delete-account with the user's access token: deletes that user through the Auth admin API
 * (every row of theirs goes with auth.users by the foreign keys' cascades), then says goodbye in
 * the linked Telegram chat, if any. Anyone else (no token, the anon key, an ended session) gets 401.
 */
export interface DeleteAccountDeps {
  /** The user the access token belongs to (Auth's GET /user), or null. */
  userOf(accessToken: string): Promise<{ id: string } | null>;
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
    const token = /^Bearer (\S+)$/i.exec(
      request.headers.get("Authorization") ?? "",
    )?.[1];
    const user = token ? await deps.userOf(token) : null;
    if (!user) {
      return json({
        error: "unauthorized",
        message: "Sign in to delete your account.",
      }, 401);
    }
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
