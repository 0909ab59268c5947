import assert from "node:assert/strict";
import { expect } from "expect";
import { REMINDER_WORDS } from "../../supabase/functions/reminders/message.ts";
import { DIGEST_WORDS } from "../../supabase/functions/reminders/digest.ts";
import { DEMO_SERVICE_ROLE_KEY } from "../../devstack/keys.ts";
import {
  connectTestDatabase,
  createHabit,
  createTestUser,
  deleteTestUsers,
  testDatabaseUrl,
  type TestUser,
} from "../support/database.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";
import {
  spawnFunctionProcess,
  startFunctionsForTests,
  TEST_BOT_TOKEN,
  TEST_REMINDERS_SECRET,
} from "../support/functions.ts";
import { startTcpProxy } from "../support/tcp-proxy.ts";
import { waitUntil } from "../support/wait.ts";

const FUNCTION_ENV = {
  REMINDERS_MAX_ATTEMPTS: "3",
  REMINDERS_SEND_TIMEOUT_SECONDS: "1",
  REMINDERS_WORKING_TIME_MS: "20000",
  REMINDERS_BATCH_SIZE: "5",
  REMINDERS_DISPATCHER_LEASE_SECONDS: "3",
};

Deno.test("reminders function: delivery, retries and faults, against the fake Bot API", async (t) => {
  const sql = connectTestDatabase();
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  const functions = await startFunctionsForTests(telegram.apiRoot, FUNCTION_ENV);
  const endpoint = `${functions.url}/reminders`;
  const users: TestUser[] = [];

  const run = async (secret = TEST_REMINDERS_SECRET, url = endpoint) => {
    const response = await fetch(url, { method: "POST", headers: { Authorization: `Bearer ${secret}` } });
    return { status: response.status, body: await response.json() };
  };
  const messagesTo = (chatId: number) =>
    telegram.callsOf("sendMessage").filter((call) => call.payload.chat_id === String(chatId));
  const notificationsOf = (habitId: string) =>
    sql<
      {
        id: bigint;
        kind: string;
        status: string;
        attempts: number;
        last_error: string | null;
        telegram_message_id: bigint | null;
        wait: number;
      }[]
    >`
      select id, kind, status, attempts, last_error, telegram_message_id,
        extract(epoch from next_attempt_at - now())::float as wait
      from public.notifications where habit_id = ${habitId} order by id`;
  // A reminder due a minute ago for `habitId` (its time moved there), queued by the real tick.
  const makeDue = async (habitId: string) => {
    const [{ due }] = await sql`select date_trunc('minute', now() - interval '1 minute') as due`;
    await sql`update public.habits set time = (${due}::timestamptz at time zone 'UTC')::time where id = ${habitId}`;
    await sql`update public.habits set next_reminder_at = ${due} where id = ${habitId}`;
    await sql`select private.enqueue_due_reminders(now())`;
  };
  // Skips a retry's waiting time, as if the clock had moved on.
  const skipWait = (habitId: string) =>
    sql`update public.notifications set next_attempt_at = now() where habit_id = ${habitId} and status in ('retry', 'sending')`;
  const newUser = async () => {
    const user = await createTestUser(sql);
    users.push(user);
    return user;
  };

  try {
    // Other tests' leftovers must not be sent by these runs.
    await sql`update public.notifications set status = 'skipped' where status in ('pending', 'retry', 'sending')`;

    await t.step("the function refuses callers without the secret or the service-role key", async () => {
      assert.equal((await run("")).status, 401);
      assert.equal((await run("not-the-secret-000000")).status, 401);
      const get = await fetch(endpoint, { headers: { Authorization: `Bearer ${TEST_REMINDERS_SECRET}` } });
      assert.equal(get.status, 405);
      await get.body?.cancel();
      assert.equal(telegram.callsOf("sendMessage").length, 0);
    });

    const alice = await newUser();
    const habit = await createHabit(sql, alice, {
      action: "stretch",
      place: "bedroom",
      time: "06:30",
      reward: "coffee",
    });

    await t.step('a new habit gets its "habit created" message in the next run', async () => {
      const result = await run();
      assert.equal(result.status, 200);
      assert.equal(result.body.sent, 1);
      const [message] = messagesTo(alice.chatId);
      expect(String(message.payload.text)).toContain("New habit");
      expect(String(message.payload.text)).toContain(
        "I will <b>stretch</b> at <b>6:30 AM</b> in <b>bedroom</b>",
      );
      const [row] = await notificationsOf(habit);
      assert.equal(row.status, "sent");
      assert.ok(row.telegram_message_id !== null);
    });

    await t.step("a due habit gets exactly one reminder, with Done and Snooze buttons", async () => {
      await makeDue(habit);
      await sql`select private.enqueue_due_reminders(now())`;
      assert.equal((await run(DEMO_SERVICE_ROLE_KEY)).body.sent, 1, "the service-role key is accepted too");
      assert.equal((await run()).body.sent, 0);
      const reminders = messagesTo(alice.chatId).filter((call) =>
        String(call.payload.text).includes("Time for your habit")
      );
      assert.equal(reminders.length, 1);
      expect(String(reminders[0].payload.text)).toContain("🎁 Reward: coffee");
      const [reminderRow] = (await notificationsOf(habit)).filter((row) => row.kind === "reminder");
      expect(JSON.stringify(reminders[0].payload.reply_markup)).toContain(`"done:${reminderRow.id}"`);
      expect(JSON.stringify(reminders[0].payload.reply_markup)).toContain(`"snooze:${reminderRow.id}"`);
    });

    await t.step("a reminder speaks the profile's language and names the streak at stake", async () => {
      const carol = await newUser();
      await sql`update public.profiles set language = 'ru' where id = ${carol.id}`;
      const carolHabit = await createHabit(sql, carol, { action: "читать" });
      await sql`update public.habits set starts_on = current_date - 5, created_at = now() - interval '10 days'
        where id = ${carolHabit}`;
      assert.equal((await run()).body.sent, 1, "the habit-created note");
      expect(String(messagesTo(carol.chatId)[0].payload.text)).toContain(REMINDER_WORDS.ru.created);
      await makeDue(carolHabit);
      await sql`insert into public.habit_completions (habit_id, owner_id, occurrence_at, source)
        select ${carolHabit}, ${carol.id}, next_reminder_at - make_interval(days => d), 'web'
        from public.habits, generate_series(2, 3) d where id = ${carolHabit}`;
      assert.equal((await run()).body.sent, 1);
      const reminder = String(messagesTo(carol.chatId)[1].payload.text);
      expect(reminder).toContain(REMINDER_WORDS.ru.due);
      expect(reminder).toContain(REMINDER_WORDS.ru.atStake(2));
      expect(JSON.stringify(messagesTo(carol.chatId)[1].payload.reply_markup)).toContain(
        REMINDER_WORDS.ru.done,
      );
    });

    await t.step("a paused habit sends nothing, not even what was queued before the pause", async () => {
      const dave = await newUser();
      const daveHabit = await createHabit(sql, dave, { action: "juggle" });
      assert.equal((await run()).body.sent, 1, "the habit-created note");
      await makeDue(daveHabit);
      // Queued before the pause, due now: a reminder, and a snooze of an earlier one.
      await sql`
        insert into public.notifications (habit_id, owner_id, kind, due_at, next_attempt_at, occurrence_at, snoozed_from_id)
        select n.habit_id, n.owner_id, 'snoozed_reminder', now(), now(), n.occurrence_at, n.id
        from public.notifications n where n.habit_id = ${daveHabit} and n.kind = 'reminder'`;
      await sql`update public.habits set is_paused = true where id = ${daveHabit}`;
      assert.equal((await run()).body.sent, 0);
      assert.equal(messagesTo(dave.chatId).length, 1, "only the habit-created note reached the chat");
      const rows = (await notificationsOf(daveHabit)).filter((row) => row.kind !== "habit_created");
      expect(rows.map((row) => [row.kind, row.status, row.last_error])).toEqual([
        ["reminder", "skipped", "the habit is paused"],
        ["snoozed_reminder", "skipped", "the habit is paused"],
      ]);
    });

    await t.step("a weekly digest is queued by the tick's step and arrives in the chat, once", async () => {
      const dan = await newUser();
      await createHabit(sql, dan, { action: "journal" });
      assert.equal((await run()).body.sent, 1, "the habit-created note");
      // The digest's local day and time: a minute ago (the user's zone is UTC).
      await sql`update public.profiles set weekly_digest = true,
          digest_weekday = extract(dow from (now() - interval '1 minute') at time zone 'UTC'),
          digest_time = ((now() - interval '1 minute') at time zone 'UTC')::time
        where id = ${dan.id}`;
      const [{ queued }] = await sql`select private.enqueue_weekly_digests(now()) as queued`;
      assert.ok(queued >= 1);
      const [{ again }] = await sql`select private.enqueue_weekly_digests(now()) as again`;
      assert.equal(again, 0, "once per week");
      assert.equal((await run()).body.sent, 1);
      const digest = String(messagesTo(dan.chatId)[1].payload.text);
      expect(digest).toContain(DIGEST_WORDS.en.heading);
      expect(digest).toContain("<b>journal</b>");
      assert.equal((await run()).body.sent, 0, "sent once");
      const [row] = await sql`select status, habit_id from public.notifications
        where owner_id = ${dan.id} and kind = 'weekly_digest'`;
      assert.equal(row.status, "sent");
      assert.equal(row.habit_id, null);
    });

    await t.step(
      "Telegram's 429 is honoured: the run waits retry_after, then the message goes out",
      async () => {
        const bob = await newUser();
        const bobHabit = await createHabit(sql, bob);
        telegram.failNext("sendMessage", { kind: "too_many_requests", retryAfter: 2 }, {
          chatId: bob.chatId,
        });
        const first = await run();
        assert.equal(first.body.sent, 1);
        assert.equal(first.body.rateLimitWaits, 1);
        const [refused, delivered] = messagesTo(bob.chatId);
        assert.ok(delivered.at - refused.at >= 1990, `sent again ${delivered.at - refused.at} ms later`);
        const [row] = await notificationsOf(bobHabit);
        assert.equal(row.status, "sent");
        assert.equal(row.attempts, 1, "the 429 was not an attempt");
      },
    );

    await t.step(
      "500s and timeouts back off; after a timeout the last attempt ends unconfirmed, not dead",
      async () => {
        const carol = await newUser();
        const carolHabit = await createHabit(sql, carol);
        telegram.failNext("sendMessage", { kind: "server_error" }, { chatId: carol.chatId });
        await run();
        let [row] = await notificationsOf(carolHabit);
        assert.equal(row.status, "retry");
        assert.ok(row.wait > 25 && row.wait <= 30, `first backoff ${row.wait} s`);

        await skipWait(carolHabit);
        telegram.failNext("sendMessage", { kind: "hang", milliseconds: 2500 }, { chatId: carol.chatId });
        await run();
        [row] = await notificationsOf(carolHabit);
        assert.equal(row.status, "retry");
        expect(row.last_error).toContain("no answer in time");
        // A maybe-delivered message waits twice a plain retry's backoff (60 s on a second attempt).
        assert.ok(row.wait > 115 && row.wait <= 120, `second backoff ${row.wait} s`);

        await skipWait(carolHabit);
        telegram.failNext("sendMessage", { kind: "server_error" }, { chatId: carol.chatId });
        await run();
        [row] = await notificationsOf(carolHabit);
        // The timed-out attempt may have reached the chat: not "dead" as if it never had.
        assert.equal(row.status, "unconfirmed");
        assert.equal(row.attempts, 3);
        expect(row.last_error).toBe(
          "maybe delivered 1 time(s) before; then gave up: 500: Internal Server Error",
        );
        await skipWait(carolHabit);
        assert.equal((await run()).body.claimed, 0, "an unconfirmed message is not tried again");
      },
    );

    await t.step("403 (bot blocked) kills the message and unlinks the chat", async () => {
      const dave = await newUser();
      const daveHabit = await createHabit(sql, dave);
      telegram.failNext("sendMessage", { kind: "blocked" }, { chatId: dave.chatId });
      assert.equal((await run()).body.dead, 1);
      const [row] = await notificationsOf(daveHabit);
      assert.equal(row.status, "dead");
      expect(row.last_error).toContain("403");
      const [profile] =
        await sql`select telegram_chat_id, telegram_blocked_at from public.profiles where id = ${dave.id}`;
      assert.equal(profile.telegram_chat_id, null);
      assert.ok(profile.telegram_blocked_at !== null);
      await makeDue(daveHabit);
      assert.equal((await run()).body.skipped, 1, "later reminders are skipped while no chat is linked");
    });

    await t.step("400 chat not found kills the message", async () => {
      const erin = await newUser();
      const erinHabit = await createHabit(sql, erin);
      telegram.failNext("sendMessage", { kind: "chat_not_found" }, { chatId: erin.chatId });
      await run();
      const [row] = await notificationsOf(erinHabit);
      assert.equal(row.status, "dead");
      expect(row.last_error).toContain("chat not found");
    });

    await t.step("a database unreachable for one run loses nothing: the next run delivers", async () => {
      const proxy = startTcpProxy(Number(new URL(testDatabaseUrl()).port));
      const dbUrl = new URL(testDatabaseUrl());
      dbUrl.port = String(proxy.port);
      const viaProxy = spawnFunctionProcess("reminders", telegram.apiRoot, {
        ...FUNCTION_ENV,
        SUPABASE_DB_URL: dbUrl.href,
      });
      const frank = await newUser();
      const frankHabit = await createHabit(sql, frank);
      try {
        proxy.down();
        const call = () =>
          viaProxy.fetch(
            new Request("http://function/reminders", {
              method: "POST",
              headers: { Authorization: `Bearer ${TEST_REMINDERS_SECRET}` },
            }),
          );
        const failed = await call();
        assert.equal(failed.status, 500);
        await failed.body?.cancel();
        assert.equal((await notificationsOf(frankHabit))[0].status, "pending");
        proxy.up();
        const recovered = await call();
        assert.equal(recovered.status, 200);
        assert.equal((await recovered.json()).sent, 1);
        assert.equal(messagesTo(frank.chatId).length, 1);
      } finally {
        await viaProxy.stop();
        await proxy.close();
      }
    });

    await t.step("two runs at once: one dispatcher sends, the other steps aside, nothing twice", async () => {
      const crowd = await Promise.all(Array.from({ length: 24 }, () => newUser()));
      await Promise.all(crowd.map((user) => createHabit(sql, user)));
      const [a, b] = await Promise.all([run(), run()]);
      assert.equal(a.body.sent + b.body.sent, 24);
      assert.ok(a.body.busy !== b.body.busy, `one run held the lease: ${a.body.busy}, ${b.body.busy}`);
      for (const user of crowd) assert.equal(messagesTo(user.chatId).length, 1);
    });

    await t.step(
      "a dispatcher killed mid-batch: after its lease expires the rest goes out, at most one twice",
      async () => {
        const gina = await newUser();
        const habits = await Promise.all(
          ["one", "two", "three", "four"].map((action) => createHabit(sql, gina, { action })),
        );
        const doomed = spawnFunctionProcess("reminders", telegram.apiRoot, FUNCTION_ENV);
        // One message a second to one chat: the run takes about three seconds; kill it after the first.
        const running = doomed.fetch(
          new Request("http://function/reminders", {
            method: "POST",
            headers: { Authorization: `Bearer ${TEST_REMINDERS_SECRET}` },
          }),
        ).then((response) => response.body?.cancel()).catch(() => {});
        await telegram.waitFor(() => messagesTo(gina.chatId).length >= 1, 30_000);
        await doomed.stop();
        await running;
        // Killing the process does not stop the statement it had sent: Postgres finishes a claim
        // that was running and commits it, with a fresh lease, after the kill.
        await waitUntil(
          async () => {
            const [active] = await sql`
            select count(*)::int as n from pg_stat_activity
            where state = 'active' and pid <> pg_backend_pid() and query like '%claim_notifications%'`;
            return active.n === 0 ? true : undefined;
          },
          10_000,
          "the killed run's last claim to finish",
        );
        const stuck =
          await sql`select count(*)::int as n from public.notifications where habit_id = any(${habits}::uuid[]) and status = 'sending'`;
        assert.ok(stuck[0].n >= 1, "the killed run left claimed messages behind");
        // The messages' lease (2 minutes) runs out; moving the clock is the same as waiting. The
        // dispatcher lease of the killed run is short (2 s here, 15 s by default): the next run waits it out.
        await sql`update public.notifications set next_attempt_at = now() where habit_id = any(${habits}::uuid[]) and status = 'sending'`;
        await sql`update private.reminder_dispatcher set lease_until = now()`;
        await run();
        const rows =
          await sql`select status from public.notifications where habit_id = any(${habits}::uuid[])`;
        assert.deepEqual(rows.map((row) => row.status), ["sent", "sent", "sent", "sent"]);
        const texts = messagesTo(gina.chatId).map((call) => String(call.payload.text));
        for (const action of ["one", "two", "three", "four"]) {
          assert.ok(texts.some((text) => text.includes(`<b>${action}</b>`)), `${action} was delivered`);
        }
        assert.ok(
          texts.length <= 5,
          `at most one duplicate, got ${texts.length} messages for 4 notifications`,
        );
      },
    );
  } finally {
    await deleteTestUsers(sql, users);
    await functions.close();
    await telegram.close();
    await sql.end();
  }
});
