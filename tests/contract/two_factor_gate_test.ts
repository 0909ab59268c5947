/**
 * Two-factor sign-in is the database's rule, not only the web app's: through the real supabase-js
 * client against a whole stack (SUPABASE_URL, SUPABASE_DB_URL, MAIL_API_URL: the devstack started
 * by devstack/with-stack.ts, or `supabase start`), a password-only (aal1) session of a person with
 * a verified TOTP factor gets nothing from the Data API or any function beyond what Auth itself
 * allows at aal1; after the second factor (aal2) everything works again. Also: a deleted user's
 * token that has not expired gets a clear 401 from every function.
 *
 *   deno run -A devstack/with-stack.ts deno test -A tests/contract/two_factor_gate_test.ts
 */
import assert from "node:assert/strict";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import * as OTPAuth from "otpauth";
import postgres from "postgres";
import { startAuthTestStack } from "./auth_harness.ts";
import { client, confirmedUser, signedIn } from "./auth_helpers.ts";

const SUPABASE_URL = Deno.env.get("SUPABASE_URL");
const DB_URL = Deno.env.get("SUPABASE_DB_URL");
const FUNCTIONS = ["export", "import", "delete-account"] as const;
const EMPTY_IMPORT = JSON.stringify({
  format: "habits-csv",
  habits:
    "id,action,place,time,interval_days,duration_seconds,is_pleasant,related_habit_id,reward,is_public,is_paused,starts_on,created_at\n",
  completions: "habit_id,occurrence_at,completed_at,source\n",
});
const TABLES = [
  "profiles",
  "habits",
  "habit_completions",
  "notifications",
  "telegram_link_codes",
  "public_habits",
];

Deno.test({
  name: "a password-only session of a two-factor user gets nothing from the Data API or any function",
  ignore: !SUPABASE_URL || !DB_URL,
  async fn(t) {
    const stack = await startAuthTestStack();
    const sql = postgres(DB_URL!, { max: 2, onnotice: () => {} });
    const callFunction = async (
      supabase: SupabaseClient,
      name: (typeof FUNCTIONS)[number],
    ): Promise<{ status: number; body: { error?: string; message?: string } & Record<string, unknown> }> => {
      const { data } = await supabase.auth.getSession();
      const response = await fetch(`${stack.url}/functions/v1/${name}`, {
        method: name === "export" ? "GET" : "POST",
        headers: {
          apikey: stack.anonKey,
          Authorization: `Bearer ${data.session?.access_token}`,
          "Content-Type": "application/json",
        },
        body: name === "import" ? EMPTY_IMPORT : name === "delete-account" ? "{}" : undefined,
      });
      return { status: response.status, body: await response.json() };
    };
    const linkTelegram = (id: string) =>
      sql`update public.profiles set telegram_chat_id = ${
        900_000_000 + Math.floor(Math.random() * 99_999_999)
      },
        telegram_linked_at = now() where id = ${id}`;
    const habitRow = (action: string) => ({ action, place: "park", time: "07:00", duration_seconds: 60 });

    try {
      // A person signs up, connects Telegram, keeps a public habit, then turns on TOTP.
      const email = await confirmedUser(stack, "two-factor");
      const first = await signedIn(stack, email);
      const userId = first.session.user.id;
      await linkTelegram(userId);
      const created = await first.supabase.from("habits").insert({ ...habitRow("swim"), is_public: true })
        .select("id").single();
      assert.equal(created.error, null);
      const habitId = created.data?.id as string;
      await sql`insert into public.habit_completions (habit_id, owner_id, occurrence_at)
        values (${habitId}, ${userId}, '2026-01-01 07:00Z')`;
      const enrolled = await first.supabase.auth.mfa.enroll({ factorType: "totp", friendlyName: "phone" });
      assert.equal(enrolled.error, null);
      const factor = enrolled.data as { id: string; totp: { secret: string } };
      const code = () =>
        new OTPAuth.TOTP({ secret: factor.totp.secret, algorithm: "SHA1", digits: 6, period: 30 }).generate();
      assert.equal(
        (await first.supabase.auth.mfa.challengeAndVerify({ factorId: factor.id, code: code() })).error,
        null,
      );

      // Later, someone with only the password signs in: Auth gives an aal1 session.
      const intruder = await signedIn(stack, email);
      const level = await intruder.supabase.auth.mfa.getAuthenticatorAssuranceLevel();
      assert.deepEqual([level.data?.currentLevel, level.data?.nextLevel], ["aal1", "aal2"]);
      const anonymous = client(stack);

      await t.step("aal1: every table reads empty, even the public habits anon can read", async () => {
        for (const table of TABLES) {
          const { data, error } = await intruder.supabase.from(table).select();
          assert.equal(error, null, `${table}: ${error?.message}`);
          assert.deepEqual(data, [], `${table} is empty at aal1`);
        }
        const { data: publicToAnon } = await anonymous.from("public_habits").select("action");
        assert.ok(publicToAnon?.some((row) => row.action === "swim"), "anon still reads the public habit");
      });

      await t.step("aal1: nothing can be written, changed or deleted", async () => {
        const insert = await intruder.supabase.from("habits").insert(habitRow("steal"));
        assert.equal(insert.error?.code, "42501");
        const update = await intruder.supabase.from("habits").update({ action: "hacked" }).eq("id", habitId)
          .select();
        assert.deepEqual(update.data, []);
        const remove = await intruder.supabase.from("habits").delete().eq("id", habitId).select();
        assert.deepEqual(remove.data, []);
        const profile = await intruder.supabase.from("profiles").update({ timezone: "Asia/Tokyo" }).eq(
          "id",
          userId,
        )
          .select();
        assert.deepEqual(profile.data, []);
        const [row] = await sql`select h.action, p.timezone, p.telegram_chat_id is not null as linked
          from public.habits h join public.profiles p on p.id = h.owner_id where h.id = ${habitId}`;
        assert.deepEqual({ ...row }, { action: "swim", timezone: "UTC", linked: true });
      });

      await t.step("aal1: the RPCs are refused or find nothing", async () => {
        const linkCode = await intruder.supabase.rpc("create_telegram_link_code");
        assert.equal(linkCode.error?.code, "42501");
        const disconnect = await intruder.supabase.rpc("disconnect_telegram");
        assert.equal(disconnect.error, null);
        assert.equal(disconnect.data, null);
        const [{ linked }] = await sql`select telegram_chat_id is not null as linked from public.profiles
          where id = ${userId}`;
        assert.equal(linked, true, "the chat stays linked");
      });

      await t.step("aal1: export, import and delete-account answer 403 mfa_required", async () => {
        for (const name of FUNCTIONS) {
          const answer = await callFunction(intruder.supabase, name);
          assert.equal(answer.status, 403, `${name}: ${JSON.stringify(answer.body)}`);
          assert.equal(answer.body.error, "mfa_required");
          assert.match(answer.body.message ?? "", /two-factor/);
        }
        const [{ n }] = await sql`select count(*)::int as n from auth.users where id = ${userId}`;
        assert.equal(n, 1, "the account is still there");
      });

      await t.step("aal2 after the second factor: everything works again", async () => {
        const stepUp = await intruder.supabase.auth.mfa.challengeAndVerify({
          factorId: factor.id,
          code: code(),
        });
        assert.equal(stepUp.error, null);
        for (const table of TABLES) {
          const { data, error } = await intruder.supabase.from(table).select();
          assert.equal(error, null, `${table}: ${error?.message}`);
          if (table !== "telegram_link_codes") {
            assert.ok((data ?? []).length > 0, `${table} has rows at aal2`);
          }
        }
        assert.equal((await intruder.supabase.from("habits").insert(habitRow("run"))).error, null);
        assert.equal((await intruder.supabase.rpc("create_telegram_link_code")).error, null);
        const exported = await callFunction(intruder.supabase, "export");
        assert.equal(exported.status, 200);
        assert.equal(exported.body.format, "habits-export");
        assert.equal((await callFunction(intruder.supabase, "import")).status, 200);
      });

      await t.step("a user without a factor keeps working at aal1", async () => {
        const plain = await signedIn(stack, await confirmedUser(stack, "one-factor"));
        await linkTelegram(plain.session.user.id);
        assert.equal((await plain.supabase.from("habits").insert(habitRow("walk"))).error, null);
        assert.equal((await plain.supabase.from("habits").select()).data?.length, 1);
        assert.equal((await plain.supabase.from("profiles").select()).data?.length, 1);
        assert.equal((await callFunction(plain.supabase, "export")).status, 200);
      });

      await t.step(
        "a deleted user's token that has not expired gets 401 JSON from every function",
        async () => {
          const doomed = await signedIn(stack, await confirmedUser(stack, "deleted"));
          const admin = createClient(stack.url, stack.serviceRoleKey, {
            auth: { persistSession: false, autoRefreshToken: false },
          });
          assert.equal((await admin.auth.admin.deleteUser(doomed.session.user.id)).error, null);
          for (const name of FUNCTIONS) {
            const answer = await callFunction(doomed.supabase, name);
            assert.equal(answer.status, 401, `${name}: ${JSON.stringify(answer.body)}`);
            assert.equal(answer.body.error, "unauthorized");
          }
        },
      );

      await t.step("aal2: delete-account deletes the two-factor account", async () => {
        const deleted = await callFunction(intruder.supabase, "delete-account");
        assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
        assert.equal(deleted.body.deleted, true);
        const [{ n }] = await sql`select count(*)::int as n from auth.users where id = ${userId}`;
        assert.equal(n, 0);
      });
    } finally {
      await sql.end();
      await stack.close();
    }
  },
});
