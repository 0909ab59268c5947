import postgres from "postgres";

/**
 * The migrated database the test command prepared (TEST_DB_URL, a superuser URL). Tests share it,
 * so each one creates its own users and removes them when done.
 */
export function testDatabaseUrl(): string {
  const url = Deno.env.get("TEST_DB_URL");
  if (!url) throw new Error("TEST_DB_URL is not set: run the tests with `bash scripts/test.sh`");
  return url;
}

export function connectTestDatabase(url = testDatabaseUrl()): postgres.Sql {
  return postgres(url, { max: 4, onnotice: () => {}, types: { bigint: postgres.BigInt } });
}

export interface TestUser {
  id: string;
  email: string;
  chatId: number;
}

/** A chat id no other test uses (Telegram's private chat ids are positive integers). */
export function uniqueChatId(): number {
  return 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
}

/** Creates an auth user (its profile comes from the sign-up trigger), optionally with a linked chat. */
export async function createTestUser(
  sql: postgres.Sql,
  options: { timezone?: string; linkTelegram?: boolean } = {},
): Promise<TestUser> {
  const id = crypto.randomUUID();
  const email = `user-${id}@test.local`;
  const chatId = uniqueChatId();
  await sql`
    insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
    values (${id}, 'authenticated', 'authenticated', ${email}, '{"provider":"email","providers":["email"]}',
      ${sql.json({ timezone: options.timezone ?? "UTC" })}, now(), now())`;
  if (options.linkTelegram ?? true) {
    await sql`update public.profiles set telegram_chat_id = ${chatId}, telegram_linked_at = now() where id = ${id}`;
  }
  return { id, email, chatId };
}

/** Removes users and, through the cascades, everything they own. */
export async function deleteTestUsers(sql: postgres.Sql, users: TestUser[]): Promise<void> {
  await sql`delete from auth.users where id = any(${users.map((user) => user.id)}::uuid[])`;
}

/** Creates a habit for `user` as the service role would, returning its id. */
export async function createHabit(
  sql: postgres.Sql,
  user: TestUser,
  habit: Partial<{
    action: string;
    place: string;
    time: string;
    interval_days: number;
    duration_seconds: number;
    reward: string | null;
    is_pleasant: boolean;
    related_habit_id: string | null;
  }> = {},
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into public.habits (owner_id, action, place, time, interval_days, duration_seconds, reward, is_pleasant, related_habit_id)
    values (${user.id}, ${habit.action ?? "read a page"}, ${habit.place ?? "desk"}, ${habit.time ?? "07:00"},
      ${habit.interval_days ?? 1}, ${habit.duration_seconds ?? 60}, ${habit.reward ?? null}, ${
    habit.is_pleasant ?? false
  },
      ${habit.related_habit_id ?? null})
    returning id`;
  return row.id;
}

/**
 * The bot's send budget as if time had passed: no retry_after pause and no slot taken ahead
 * (a test that moves next_attempt_at past a 429 moves the bot's pause too).
 */
export async function forgetSendBudget(sql: postgres.Sql): Promise<void> {
  await sql`update private.telegram_send_budget set next_slot_at = '-infinity', paused_until = '-infinity'`;
}

/** Nothing left to send from earlier tests, and no dispatcher lease or send pause left behind by them. */
export async function quietOutbox(sql: postgres.Sql): Promise<void> {
  await sql`update public.notifications set status = 'skipped' where status in ('pending', 'retry', 'sending')`;
  await sql`delete from private.reminder_dispatcher`;
  await forgetSendBudget(sql);
}

/** `count` people with a linked chat and one habit each, whose "habit created" note is out of the way. */
export async function peopleWithHabits(sql: postgres.Sql, count: number): Promise<TestUser[]> {
  const firstChat = uniqueChatId();
  const users = await sql<TestUser[]>`
    insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
    select id, 'authenticated', 'authenticated', 'user-' || id || '@test.local',
      '{"provider":"email","providers":["email"]}', '{"timezone":"UTC"}', now(), now()
    from (select gen_random_uuid() as id from generate_series(1, ${count})) u
    returning id, email, 0 as "chatId"`;
  users.forEach((user, i) => user.chatId = firstChat + i);
  await sql`
    update public.profiles p set telegram_chat_id = u.chat, telegram_linked_at = now()
    from unnest(${users.map((u) => u.id)}::uuid[], ${users.map((u) => u.chatId)}::bigint[]) u(id, chat)
    where p.id = u.id`;
  await sql`
    insert into public.habits (owner_id, action, place, time, interval_days, duration_seconds)
    select id, 'stretch', 'home', '07:00', 1, 60 from unnest(${users.map((u) => u.id)}::uuid[]) id`;
  await sql`update public.notifications set status = 'skipped' where owner_id = any(${
    users.map((u) => u.id)
  }::uuid[])`;
  return users;
}

/** A reminder due now for each of `users`. */
export async function remindersDueNow(sql: postgres.Sql, users: TestUser[]): Promise<void> {
  await sql`
    insert into public.notifications (habit_id, owner_id, kind, due_at, occurrence_at)
    select h.id, h.owner_id, 'reminder', date_trunc('minute', now()), date_trunc('minute', now())
    from public.habits h where h.owner_id = any(${users.map((u) => u.id)}::uuid[])`;
}
