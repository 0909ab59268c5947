/**
 * The dispatcher lease's promises (issue 27, items 2, 3, 4 and 9b), against the strict Telegram
 * stand-in and several reminders processes: a run ends inside its working time whatever Telegram
 * says; after a crash (SIGKILL) the dead run's claims go out at once and count as "maybe
 * delivered" only when a request for them could have left; and the lease is a fence, so a run
 * frozen (SIGSTOP) past its lease wakes up (SIGCONT) and sends nothing beside its successor.
 */
import assert from "node:assert/strict";
import type { FunctionProcess } from "../../devstack/functions/process.ts";
import {
  connectTestDatabase,
  createHabit,
  createTestUser,
  deleteTestUsers,
  quietOutbox,
  type TestUser,
} from "../support/database.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";
import { spawnFunctionProcess, TEST_BOT_TOKEN, TEST_REMINDERS_SECRET } from "../support/functions.ts";
import { waitUntil } from "../support/wait.ts";
import { sleep } from "../../supabase/functions/_shared/sleep.ts";

const LEASE_SECONDS = 3;
const FUNCTION_ENV = {
  REMINDERS_SEND_TIMEOUT_SECONDS: "1",
  REMINDERS_DISPATCHER_LEASE_SECONDS: String(LEASE_SECONDS),
  REMINDERS_MAX_ATTEMPTS: "5",
};

/** One POST to an instance, as pg_net makes it: the answer, and how long it took. */
async function runOn(instance: FunctionProcess) {
  const started = performance.now();
  const response = await instance.fetch(
    new Request("http://function/reminders", {
      method: "POST",
      headers: { Authorization: `Bearer ${TEST_REMINDERS_SECRET}` },
    }),
  );
  const body = response.ok ? await response.json() : await response.text();
  return { status: response.status, body, ms: performance.now() - started };
}

Deno.test("the dispatcher lease: runs end in time, crashes hand over at once, a woken run sends nothing", async (t) => {
  const sql = connectTestDatabase();
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  const users: TestUser[] = [];
  const instances: FunctionProcess[] = [];
  const instance = (env: Record<string, string>) => {
    const spawned = spawnFunctionProcess("reminders", telegram.apiRoot, { ...FUNCTION_ENV, ...env });
    instances.push(spawned);
    return spawned;
  };
  const crowd = async (size: number, tag: string) => {
    const people = await Promise.all(Array.from({ length: size }, () => createTestUser(sql)));
    users.push(...people);
    // Twelve hours away: no tick queues these habits' reminders while the test runs.
    const time = new Date(Date.now() + 12 * 3600_000).toISOString().slice(11, 16);
    const habits = await Promise.all(
      people.map((user, i) => createHabit(sql, user, { action: `${tag} ${i}`, time })),
    );
    return { people, habits };
  };
  const rowsOf = (habits: string[]) =>
    sql<{ id: bigint; status: string; attempts: number; maybe: number; wait: number; chat: string }[]>`
      select n.id, n.status, n.attempts, n.maybe_delivered_attempts as maybe,
        extract(epoch from n.next_attempt_at - now())::float as wait, p.telegram_chat_id::text as chat
      from public.notifications n join public.profiles p on p.id = n.owner_id
      where n.habit_id = any(${habits}::uuid[]) order by n.id`;
  const sendsTo = (people: TestUser[]) => {
    const chats = new Set(people.map((user) => String(user.chatId)));
    return telegram.callsOf("sendMessage").filter((call) => chats.has(String(call.payload.chat_id)));
  };
  /** The bot's rate for every sender (private.settings); 28, the default, again at the end. */
  const botRate = async (perSecond: number) => {
    await sql`update private.settings set value = ${perSecond} where name = 'telegram_messages_per_second'`;
    await sql`update private.telegram_send_budget set next_slot_at = '-infinity'`;
  };
  const leaseGone = () =>
    waitUntil(
      async () => {
        const [row] =
          await sql`select bool_and(lease_until < now()) as gone from private.reminder_dispatcher`;
        return row.gone !== false ? true : undefined;
      },
      15_000,
      "the dispatcher lease to pass",
    );

  try {
    await t.step(
      "a run ends inside its working time whatever Telegram says: a 429 storm longer than the run",
      async () => {
        await quietOutbox(sql);
        telegram.reset();
        const workingTimeMs = 5_000;
        const runner = instance({ REMINDERS_WORKING_TIME_MS: String(workingTimeMs) });
        await runOn(runner); // boots the process (nothing queued for it yet)
        const { people, habits } = await crowd(6, "storm");
        // Every send is refused with retry_after 2 s, for longer than the run may last.
        const storm = telegram.chaos({
          kind: "too_many_requests",
          retryAfter: 2,
          methods: ["sendMessage"],
          forMs: workingTimeMs + 6_000,
        });
        const during = await runOn(runner);
        assert.equal(during.status, 200);
        assert.ok(
          during.ms <= workingTimeMs + 1_000,
          `the run answered after ${Math.round(during.ms)} ms; its working time is ${workingTimeMs} ms`,
        );
        assert.ok(during.body.rateLimited + during.body.released >= 1, JSON.stringify(during.body));
        const handedBack = await rowsOf(habits);
        for (const row of handedBack) {
          assert.ok(["pending", "retry"].includes(row.status), `back in the outbox, not ${row.status}`);
          assert.equal(row.attempts, 0, "a 429 is not an attempt, nor is a send the run had no time for");
          assert.ok(row.wait <= 2.05, `due again when Telegram's pause ends, not in ${row.wait} s`);
        }
        // The lease was given up: the next run (a tick, a kick) is not answered busy.
        const next = await runOn(runner);
        assert.equal(next.body.busy, false, "the lease is free as soon as a run ends");
        assert.ok(next.ms <= workingTimeMs + 1_000, `the next run too ended in ${Math.round(next.ms)} ms`);
        telegram.standIn.chaos.remove(storm);
        // After the storm, the next run sends everything at once.
        const after = await runOn(runner);
        assert.equal(after.body.sent, 6, JSON.stringify(after.body));
        assert.ok(after.ms < 4_000, `sent in ${Math.round(after.ms)} ms`);
        const delivered = telegram.counters().deliveredPerChat;
        for (const user of people) {
          assert.equal(delivered[String(user.chatId)], 1, "each reached its chat once");
        }
        for (const row of await rowsOf(habits)) assert.equal(row.status, "sent");
      },
    );

    /** A run SIGKILLed after its first sends, and the run the tick starts once its lease passed. */
    const crashMidRun = async (tag: string, checkTick: boolean) => {
      await quietOutbox(sql);
      telegram.reset();
      // Two sends a second (the bot's send budget, in its one home): eight take four seconds to send.
      await botRate(2);
      const env = { REMINDERS_WORKING_TIME_MS: "20000" };
      const doomed = instance(env);
      const successor = instance(env);
      await Promise.all([runOn(doomed), runOn(successor)]);
      const { people, habits } = await crowd(8, tag);
      // Chaos: every message reaches its chat at once and its answer comes 2 s later, so the run
      // dies with requests on the wire whose outcome it never learned.
      const slow = telegram.chaos({ kind: "slow", delayMs: 2_000, methods: ["sendMessage"] });
      const running = runOn(doomed).catch(() => undefined);
      await telegram.waitFor(() => sendsTo(people).length >= 2, 15_000);
      assert.ok(doomed.signal("SIGKILL"));
      const killedAt = performance.now();
      telegram.standIn.chaos.remove(slow);
      await running;
      const sentBeforeKill = new Set(sendsTo(people).map((call) => String(call.payload.chat_id)));
      const recorded = (await rowsOf(habits)).filter((row) => row.status === "sent").length;
      assert.ok(8 - recorded >= 4, `the killed run left ${8 - recorded} claimed messages`);
      await leaseGone();
      if (checkTick) {
        const [{ deliverable }] = await sql`select private.has_deliverable_notifications() as deliverable`;
        assert.equal(deliverable, true, "the tick sees the dead run's claims once its lease has passed");
      }
      // What the tick starts (pg_net → the function):
      const next = await runOn(successor);
      const lateBy = performance.now() - killedAt;
      return { people, rows: await rowsOf(habits), sentBeforeKill, recorded, next, lateBy };
    };

    await t.step("after a crash, claimed messages go at once", async () => {
      const { people, rows, sentBeforeKill, recorded, next, lateBy } = await crashMidRun("crash", true);
      // Every claim whose request never left goes out now (one that may have left waits as a
      // maybe-delivered send does: the next step).
      const unsent = rows.filter((row) => row.maybe === 0 && !sentBeforeKill.has(row.chat));
      assert.ok(unsent.length >= 4, `${unsent.length} claims of the killed run never left`);
      for (const row of unsent) {
        assert.equal(row.status, "sent", "a claim whose request never left goes out at once");
      }
      assert.equal(
        next.body.sent,
        rows.filter((row) => row.maybe === 0).length - recorded,
        JSON.stringify(next.body),
      );
      assert.ok(lateBy < 15_000, `delivered ${Math.round(lateBy)} ms after the crash, not minutes later`);
      const received = telegram.counters().deliveredPerChat;
      for (const user of people) assert.ok((received[String(user.chatId)] ?? 0) <= 1, "no chat got a copy");
    });

    await t.step(
      "claims of a killed run count as maybe delivered only when a request for them could have left",
      async () => {
        const { rows, sentBeforeKill } = await crashMidRun("maybe", false);
        // The run takes a chat's send slot right before the request leaves: a claim counts as
        // maybe delivered only when its request could have left (sent before the kill, or its
        // slot just taken); every other claim was no attempt either.
        const maybeDelivered = rows.filter((row) => row.maybe > 0);
        assert.ok(
          maybeDelivered.filter((row) => !sentBeforeKill.has(row.chat)).length <= 1,
          `${maybeDelivered.length} counted as maybe delivered; ${sentBeforeKill.size} had reached Telegram`,
        );
        for (const row of maybeDelivered) {
          assert.equal(row.status, "retry", "it waits as any maybe-delivered send does");
          assert.equal(row.attempts, 1);
        }
        const unanswered = rows.filter((row) => sentBeforeKill.has(row.chat) && row.status !== "sent");
        assert.ok(unanswered.length >= 1, "the run died with requests on the wire");
        for (const row of unanswered) {
          assert.equal(row.maybe, 1, "a claim whose request reached Telegram, unanswered, is counted");
        }
        for (const row of rows.filter((row) => !sentBeforeKill.has(row.chat) && row.maybe === 0)) {
          assert.equal(row.attempts, 1, "the killed run's claim was not an attempt: the resend is the first");
        }
      },
    );

    await t.step(
      "the lease is a fence: a dispatcher frozen past its lease wakes up and sends nothing beside its successor",
      async () => {
        await quietOutbox(sql);
        telegram.reset();
        await botRate(4);
        const env = { REMINDERS_WORKING_TIME_MS: "20000" };
        const frozen = instance(env);
        const successor = instance(env);
        await Promise.all([runOn(frozen), runOn(successor)]);
        const { people, habits } = await crowd(16, "freeze");
        // Chaos: answers come 300 ms after the message reached its chat, so the run may freeze
        // with a request on the wire (that one may reach its chat; it is counted, not resent).
        const slow = telegram.chaos({ kind: "slow", delayMs: 300, methods: ["sendMessage"] });
        const frozenRun = runOn(frozen);
        await telegram.waitFor(() => sendsTo(people).length >= 2, 15_000);
        assert.ok(frozen.signal("SIGSTOP"));
        try {
          await sleep(300);
          telegram.standIn.chaos.remove(slow);
          const beforeFreeze = sendsTo(people).length;
          // The frozen run's lease passes; the next run takes over and sends what it had claimed.
          await leaseGone();
          const takeover = await runOn(successor);
          assert.equal(takeover.body.busy, false);
          // Everything is sent, except what the frozen run may have sent already: that waits as a
          // maybe-delivered send would.
          const settled = (row: { status: string; maybe: number }) =>
            row.status === "sent" || (row.status === "retry" && row.maybe > 0);
          await waitUntil(
            async () => (await rowsOf(habits)).every(settled) ? true : undefined,
            20_000,
            "the successor to deliver everything",
          );
          const beforeWake = sendsTo(people).length;
          assert.ok(frozen.signal("SIGCONT"));
          const woken = await frozenRun;
          assert.equal(woken.status, 200);
          await sleep(1_000);
          assert.equal(
            sendsTo(people).length,
            beforeWake,
            `the woken run sent ${sendsTo(people).length - beforeWake} more requests`,
          );
          assert.ok(woken.body.fenced > 0, `its records were refused: ${JSON.stringify(woken.body)}`);
          const rows = await rowsOf(habits);
          for (const row of rows) assert.ok(settled(row), "no record of the woken run counted");
          const waiting = rows.filter((row) => row.status === "retry");
          assert.ok(
            waiting.length <= beforeFreeze - woken.body.sent + 1,
            `${waiting.length} wait as maybe delivered; the frozen run had sent ${beforeFreeze}`,
          );
          const received = telegram.counters().deliveredPerChat;
          for (const user of people) {
            assert.ok((received[String(user.chatId)] ?? 0) <= 1, "no chat got a copy");
          }
        } finally {
          frozen.signal("SIGCONT");
        }
      },
    );
  } finally {
    await botRate(28);
    await Promise.all(instances.map((spawned) => spawned.stop()));
    await deleteTestUsers(sql, users);
    await telegram.close();
    await sql.end();
  }
});

Deno.test("a working time too short for one send is refused by name, not run", async () => {
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  const misconfigured = spawnFunctionProcess("reminders", telegram.apiRoot, {
    REMINDERS_WORKING_TIME_MS: "8000",
    REMINDERS_SEND_TIMEOUT_SECONDS: "10",
  });
  try {
    const answer = await runOn(misconfigured);
    assert.equal(answer.status, 500);
    const body = JSON.parse(answer.body);
    assert.equal(body.error, "function_misconfigured");
    assert.match(body.problems.join(" "), /^REMINDERS_WORKING_TIME_MS: .*REMINDERS_SEND_TIMEOUT_SECONDS/);
  } finally {
    await misconfigured.stop();
    await telegram.close();
  }
});

Deno.test("a claim lease shorter than a run is refused by name: a run would claim its own unfinished message again", async () => {
  const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  const misconfigured = spawnFunctionProcess("reminders", telegram.apiRoot, {
    ...FUNCTION_ENV,
    REMINDERS_WORKING_TIME_MS: "20000",
    REMINDERS_LEASE_SECONDS: "15",
  });
  try {
    const answer = await runOn(misconfigured);
    assert.equal(answer.status, 500);
    const body = JSON.parse(answer.body);
    assert.equal(body.error, "function_misconfigured");
    assert.match(body.problems.join(" "), /^REMINDERS_LEASE_SECONDS: longer than REMINDERS_WORKING_TIME_MS/);
  } finally {
    await misconfigured.stop();
    await telegram.close();
  }
});
