import assert from "node:assert/strict";
import { expect } from "expect";
import { startStack } from "../../devstack/stack.ts";
import {
  connectTestDatabase,
  createHabit,
  createTestUser,
  deleteTestUsers,
  testDatabaseUrl,
} from "../support/database.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";
import { waitUntil } from "../support/wait.ts";
import {
  TEST_BOT_TOKEN,
  TEST_REMINDERS_SECRET,
  TEST_SITE_URL,
  TEST_WEBHOOK_SECRET,
} from "../support/functions.ts";

/**
 * The whole path on the devstack, nothing called by hand: a habit insert and pg_cron's minute tick
 * call the reminders function through pg_net and the gateway, which sends through the fake Bot API.
 */
Deno.test({
  name: "end to end: pg_cron and pg_net reach the reminders function, which messages Telegram",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
    const stack = await startStack({
      databaseUrl: testDatabaseUrl(),
      functionsEnv: {
        TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        SITE_URL: TEST_SITE_URL,
        REMINDERS_SECRET: TEST_REMINDERS_SECRET,
      },
    });
    const setSecret = async (name: string, value: string) => {
      await sql`delete from vault.secrets where name = ${name}`;
      await sql`select vault.create_secret(${value}, ${name})`;
    };
    const user = await createTestUser(sql);
    const messages = () =>
      telegram.callsOf("sendMessage").filter((call) => call.payload.chat_id === String(user.chatId)).map((
        call,
      ) => String(call.payload.text));
    try {
      await sql`update public.notifications set status = 'skipped' where status in ('pending', 'retry', 'sending')`;
      await setSecret("project_url", stack.urls.api);
      await setSecret("reminders_secret", TEST_REMINDERS_SECRET);

      const habit = await createHabit(sql, user, { action: "drink water", place: "kitchen" });

      await t.step(
        "creating a habit brings its message within seconds (trigger → pg_net → function)",
        async () => {
          await telegram.waitFor(() => messages().some((text) => text.includes("New habit")), 20_000);
          // The worker records the function's answer once the function has finished its run.
          const status = await waitUntil(
            async () => {
              const [response] = await sql<{ status_code: number }[]>`
              select status_code from net._http_response where created > now() - interval '1 minute'
              order by created desc limit 1`;
              return response?.status_code;
            },
            10_000,
            "the pg_net response",
          );
          assert.equal(status, 200);
        },
      );

      await t.step("pg_cron's tick queues the due reminder and has it delivered", async () => {
        const [{ due }] = await sql`select date_trunc('minute', now()) as due`;
        await sql`update public.habits set time = (${due}::timestamptz at time zone 'UTC')::time where id = ${habit}`;
        await sql`update public.habits set next_reminder_at = ${due} where id = ${habit}`;
        // The job runs at the start of every minute.
        await telegram.waitFor(() => messages().some((text) => text.includes("Time for your habit")), 75_000);
        const reminders = messages().filter((text) => text.includes("Time for your habit"));
        assert.equal(reminders.length, 1);
        expect(reminders[0]).toContain("drink water");
        const [run] = await sql`
          select status from cron.job_run_details d join cron.job j on j.jobid = d.jobid
          where j.jobname = 'reminder-tick' order by d.start_time desc limit 1`;
        assert.equal(run.status, "succeeded");
        // The function records the delivery right after Telegram accepted the message.
        await waitUntil(
          async () => {
            const [row] = await sql`
            select status from public.notifications where habit_id = ${habit} and kind = 'reminder'`;
            return row?.status === "sent" ? true : undefined;
          },
          10_000,
          "the reminder recorded as sent",
        );
      });
    } finally {
      await sql`delete from vault.secrets where name in ('project_url', 'reminders_secret')`;
      await deleteTestUsers(sql, [user]);
      await stack.stop();
      await telegram.close();
      await sql.end();
    }
  },
});
