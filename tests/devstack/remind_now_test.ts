/**
 * Reminders on demand (issue 24): `scripts/deno task remind-now` and the chat page's "Remind me
 * now" send the chosen habit's reminder once and leave the habit as it is; with several habits
 * they ask which one instead of taking the newest.
 */
import assert from "node:assert/strict";
import { expect } from "expect";
import { remindNow } from "../../devstack/remind-now.ts";
import {
  connectTestDatabase,
  createHabit,
  createTestUser,
  deleteTestUsers,
  testDatabaseUrl,
} from "../support/database.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("a reminder on demand goes to the chosen habit once, leaves its time, and asks when ambiguous", async () => {
  const sql = connectTestDatabase();
  const user = await createTestUser(sql);
  try {
    const read = await createHabit(sql, user, { action: "read one page", time: "07:30" });
    const stretch = await createHabit(sql, user, { action: "stretch", time: "06:45" });
    const habitRow = (id: string) =>
      sql<{ time: string; next_reminder_at: Date }[]>`
        select time::text as time, next_reminder_at from public.habits where id = ${id}`;
    const [before] = await habitRow(read);

    const ambiguous = await remindNow(sql, { chatId: user.chatId });
    assert.equal(ambiguous.outcome, "ambiguous", "two habits: no habit is taken for the person");
    if (ambiguous.outcome === "ambiguous") {
      expect(ambiguous.habits.map((h) => h.id).sort()).toEqual([read, stretch].sort());
    }

    const chosen = await remindNow(sql, { chatId: user.chatId, habit: "read" });
    expect(chosen).toEqual({
      outcome: "queued",
      habit: { id: read, action: "read one page", time: "07:30" },
    });
    const queued = await sql<{ kind: string; status: string }[]>`
      select kind, status from public.notifications where habit_id = ${read} and kind = 'reminder'`;
    expect(queued).toEqual([{ kind: "reminder", status: "pending" }]);
    const [after] = await habitRow(read);
    expect(after).toEqual(before);

    const byId = await remindNow(sql, { habit: stretch });
    assert.equal(byId.outcome, "queued");

    // The task lists the choices and exits with 2 when the choice is ambiguous.
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "devstack/remind-now.ts", "--db", testDatabaseUrl(), "--chat", String(user.chatId)],
      cwd: ROOT,
      stdin: "null",
    }).output();
    const stderr = new TextDecoder().decode(result.stderr);
    assert.equal(result.code, 2, stderr);
    expect(stderr).toContain("which habit?");
    expect(stderr).toContain(`${read}  07:30  read one page`);
    expect(stderr).toContain(`${stretch}  06:45  stretch`);
  } finally {
    await deleteTestUsers(sql, [user]);
    await sql.end();
  }
});
