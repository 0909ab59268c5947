/**
 * "A Telegram conversation belongs to an account the chat is linked to ... so a handler racing an
 * unlink cannot start one for the previous account" (private.telegram_conversations_of_linked_chat).
 * The check read the profile without a lock: a /new answer saved while a 403, /stop or the web
 * app's Disconnect was unlinking the chat (not yet committed) passed it, and the unlink's trigger
 * (private.profiles_end_conversation_of_previous_chat) could not see the new row, so the previous
 * account's conversation outlived the unlink. pgTAP runs in one session and cannot overlap two.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import {
  connectTestDatabase,
  createTestUser,
  deleteTestUsers,
  testDatabaseUrl,
} from "../support/database.ts";

Deno.test("a conversation saved while its chat is being unlinked does not outlive the unlink", async () => {
  const sql = connectTestDatabase();
  const user = await createTestUser(sql);
  const unlinking = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} });
  const handler = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} });
  try {
    let saved: Promise<string> | undefined;
    await unlinking.begin(async (tx) => {
      // Telegram's 403 unlinks the chat (as the webhook and the reminders do); not yet committed.
      await tx`select private.mark_telegram_chat_blocked(${user.chatId})`;
      // Meanwhile the webhook's handler saves the chat's /new answer for the account it read.
      saved = handler`
        insert into private.telegram_conversations (chat_id, user_id, flow, step, draft)
        values (${user.chatId}, ${user.id}, 'new', 'time', '{"action": "stretch"}')`
        .then(() => "saved", (error) => error.code as string);
      await tx`select pg_sleep(0.3)`;
    });
    const outcome = await saved!;
    const [{ left }] = await sql<{ left: number }[]>`
      select count(*)::int as left from private.telegram_conversations where chat_id = ${user.chatId}`;
    assert.equal(left, 0, `the handler's save: ${outcome}`);
    assert.equal(outcome, "23514");
  } finally {
    await unlinking.end();
    await handler.end();
    await sql`delete from private.telegram_conversations where chat_id = ${user.chatId}`;
    await deleteTestUsers(sql, [user]);
    await sql.end();
  }
});
