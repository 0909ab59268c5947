/**
 * The delete-account function on the whole devstack (Auth, functions host, database) with the
 * fake Bot API: it deletes the caller and every row of theirs, says goodbye in the linked chat,
 * and answers 401 to anyone who is not a signed-in user.
 */
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import { startStack } from "../../devstack/stack.ts";
import { connectTestDatabase, testDatabaseUrl, uniqueChatId } from "../support/database.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";
import { TEST_BOT_TOKEN } from "../support/functions.ts";

const PASSWORD = "correct horse battery staple 42";

Deno.test("delete-account: deletes the signed-in user, says goodbye, refuses everyone else", async (t) => {
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  const sql = connectTestDatabase();
  const stack = await startStack({
    databaseUrl: testDatabaseUrl(),
    autoconfirm: true,
    pgNet: { enabled: false },
    functionsEnv: {
      TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DELETE_ACCOUNT_GOODBYE_TIMEOUT_SECONDS: "1",
    },
  });
  const url = `${stack.urls.api}/functions/v1/delete-account`;
  const signUp = async (tag: string) => {
    const supabase = createClient(stack.urls.api, stack.keys.anon, { auth: { persistSession: false } });
    const email = `${tag}-${crypto.randomUUID().slice(0, 8)}@delete.test`;
    const { data, error } = await supabase.auth.signUp({ email, password: PASSWORD });
    assert.equal(error, null);
    return { supabase, id: data.user?.id as string, token: data.session?.access_token as string };
  };
  try {
    await t.step("401 without a token, with the anon key, and with a signed-out session", async () => {
      const none = await fetch(url, { method: "POST", headers: { apikey: stack.keys.anon } });
      assert.equal(none.status, 401);
      await none.body?.cancel();
      const anon = await fetch(url, {
        method: "POST",
        headers: { apikey: stack.keys.anon, Authorization: `Bearer ${stack.keys.anon}` },
      });
      assert.deepEqual([anon.status, (await anon.json()).error], [401, "unauthorized"]);
      const user = await signUp("signed-out");
      await user.supabase.auth.signOut();
      const ended = await fetch(url, {
        method: "POST",
        headers: { apikey: stack.keys.anon, Authorization: `Bearer ${user.token}` },
      });
      assert.equal(ended.status, 401, "the JWT is still valid, but its session is gone");
      await ended.body?.cancel();
      assert.equal((await sql`select count(*)::int as n from auth.users where id = ${user.id}`)[0].n, 1);
    });

    await t.step(
      "the caller and all their rows go; the other user stays; goodbye in the linked chat",
      async () => {
        const doomed = await signUp("doomed");
        const other = await signUp("other");
        const chatId = uniqueChatId();
        await sql`update public.profiles set telegram_chat_id = ${chatId}, telegram_linked_at = now() where id = ${doomed.id}`;
        const { error: habitError } = await doomed.supabase.from("habits").insert({
          action: "stretch",
          place: "hall",
          time: "07:00",
          duration_seconds: 60,
        });
        assert.equal(habitError, null);
        const { data, error } = await doomed.supabase.functions.invoke("delete-account", { method: "POST" });
        assert.equal(error, null);
        assert.deepEqual(data, { deleted: true, goodbye: "sent" });
        const [goodbye] = telegram.callsOf("sendMessage");
        assert.equal(goodbye.payload.chat_id, chatId);
        assert.match(String(goodbye.payload.text), /deleted/);
        assert.equal((await sql`select count(*)::int as n from auth.users where id = ${doomed.id}`)[0].n, 0);
        assert.equal(
          (await sql`select count(*)::int as n from public.habits where owner_id = ${doomed.id}`)[0].n,
          0,
        );
        assert.equal(
          (await sql`select count(*)::int as n from public.profiles where id = ${other.id}`)[0].n,
          1,
        );
        const again = await doomed.supabase.auth.signInWithPassword({
          email: (await other.supabase.auth.getUser()).data.user?.email as string,
          password: PASSWORD,
        });
        assert.equal(again.error, null, "the other account still signs in");
      },
    );

    await t.step("the goodbye is in the person's language, as the bot speaks to them", async () => {
      const user = await signUp("russian");
      const chatId = uniqueChatId();
      await sql`update public.profiles set telegram_chat_id = ${chatId}, telegram_linked_at = now(), language = 'ru'
        where id = ${user.id}`;
      const { data, error } = await user.supabase.functions.invoke("delete-account", { method: "POST" });
      assert.equal(error, null);
      assert.deepEqual(data, { deleted: true, goodbye: "sent" });
      const goodbye = telegram.callsOf("sendMessage").filter((call) => call.payload.chat_id === chatId);
      assert.equal(goodbye.length, 1);
      assert.match(String(goodbye[0].payload.text), /удал/);
    });

    await t.step(
      "a chat that cannot be reached misses the goodbye; the account is deleted anyway",
      async () => {
        const user = await signUp("unreachable");
        const chatId = uniqueChatId();
        await sql`update public.profiles set telegram_chat_id = ${chatId}, telegram_linked_at = now() where id = ${user.id}`;
        telegram.failNext("sendMessage", { kind: "blocked" });
        const { data, error } = await user.supabase.functions.invoke("delete-account", { method: "POST" });
        assert.equal(error, null);
        assert.deepEqual(data, { deleted: true, goodbye: "failed" });
        assert.equal((await sql`select count(*)::int as n from auth.users where id = ${user.id}`)[0].n, 0);
      },
    );

    await t.step("a Bot API that hangs costs at most the goodbye timeout", async () => {
      const user = await signUp("hang");
      await sql`update public.profiles set telegram_chat_id = ${uniqueChatId()}, telegram_linked_at = now() where id = ${user.id}`;
      telegram.failNext("sendMessage", { kind: "hang", milliseconds: 5_000 });
      const started = Date.now();
      const { data } = await user.supabase.functions.invoke("delete-account", { method: "POST" });
      assert.deepEqual(data, { deleted: true, goodbye: "failed" });
      assert.ok(Date.now() - started < 4_000, `took ${Date.now() - started} ms`);
    });

    await t.step("GET is 405 and nothing is deleted", async () => {
      const user = await signUp("get");
      const response = await fetch(url, {
        headers: { apikey: stack.keys.anon, Authorization: `Bearer ${user.token}` },
      });
      assert.equal(response.status, 405);
      await response.body?.cancel();
      assert.equal((await sql`select count(*)::int as n from auth.users where id = ${user.id}`)[0].n, 1);
    });
  } finally {
    await stack.stop();
    await sql.end();
    await telegram.close();
  }
});
