/**
 * The settings page's weekly digest and "Your data" sections in Chromium against the devstack:
 * the digest opt-in reaches the profile, "Download my data" gives the JSON export, and an import
 * of Loop Habit Tracker's CSV shows its report, while a malformed file or an impossible date shows
 * the line it breaks at.
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import { connectTestDatabase, uniqueChatId } from "../support/database.ts";
import { watchConsole } from "./support/browser.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const PASSWORD = "habits2go4it";
const LOOP = new URL("../fixtures/loop/", import.meta.url);

Deno.test({
  name: "settings in Chromium: weekly digest, download my data, import Loop's CSV",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const cleanups: (() => Promise<unknown>)[] = [];
    const email = `data-${crypto.randomUUID().slice(0, 8)}@example.com`;
    let userId = "";
    try {
      const app = await startSpaStack("data", () => ({
        pgNet: { enabled: false },
      }));
      cleanups.push(() => app.close());
      const { spaUrl, browser, admin } = app;

      const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
      assert.equal(created.error, null);
      userId = created.data.user?.id as string;
      await sql`update public.profiles set telegram_chat_id = ${uniqueChatId()}, telegram_linked_at = now()
        where id = ${userId}`;
      await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
        values (${userId}, 'stretch', 'hall', '07:00', 60)`;

      const page = await (await browser.newContext({ locale: "en-GB", acceptDownloads: true })).newPage();
      page.setDefaultTimeout(15_000);
      const consoleWatch = watchConsole(page);
      const step = async (name: string, body: () => Promise<void>) => {
        if (await t.step(name, body)) return;
        const text = await page.locator("main").innerText().catch(() => "");
        throw new Error(`step failed: ${name}\nat ${page.url()}:\n${text}\nconsole: ${consoleWatch.errors}`);
      };
      await page.goto(`${spaUrl}/sign-in`);
      await page.getByLabel("E-mail").fill(email);
      await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${spaUrl}/`); // signed in, the app opens on Today
      await page.goto(`${spaUrl}/settings`);

      await step("the weekly digest's opt-in, day and time are saved to the profile", async () => {
        await page.getByLabel("Send me a weekly digest in Telegram").check();
        await page.getByLabel("Digest day").selectOption({ label: "Monday" });
        await page.getByLabel("Digest time (local)").fill("08:30");
        await page.getByRole("button", { name: "Save digest" }).click();
        await page.getByText("Saved.", { exact: true }).waitFor();
        const [profile] = await sql`select weekly_digest, digest_weekday, digest_time::text as digest_time
          from public.profiles where id = ${userId}`;
        assert.deepEqual({ ...profile }, { weekly_digest: true, digest_weekday: 1, digest_time: "08:30:00" });
      });

      await step("Download my data gives the JSON export with the person's habits", async () => {
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("button", { name: "Download my data (JSON)" }).click(),
        ]);
        const exported = JSON.parse(await Deno.readTextFile(await download.path()));
        assert.equal(exported.format, "habits-export");
        assert.deepEqual(exported.habits.map((habit: { action: string }) => habit.action), ["stretch"]);
      });

      await step("importing Loop's CSV shows what was imported and the report", async () => {
        await page.getByRole("combobox", { name: "Import" }).selectOption({ label: "Loop Habit Tracker" });
        await page.getByLabel("Habits.csv").setInputFiles(new URL("Habits.csv", LOOP).pathname);
        await page.getByLabel("Checkmarks.csv").setInputFiles(new URL("Checkmarks.csv", LOOP).pathname);
        await page.getByRole("button", { name: "Import", exact: true }).click();
        await page.getByText("Imported 4 habits and 13 completions.").waitFor();
        await page.getByText("Habits.csv line 3 (Gym): 3 times in 7 days is not a frequency we allow")
          .waitFor();
        const [row] = await sql`select count(*)::int as n from public.habits where owner_id = ${userId}`;
        assert.equal(row.n, 5);
      });

      await step("a malformed file is refused with its line, and nothing is written", async () => {
        const broken = await Deno.makeTempFile({ suffix: ".csv" });
        await Deno.writeTextFile(broken, "Date,Meditate\n2026-11-20,lots,extra\n");
        await page.getByLabel("Checkmarks.csv").setInputFiles(broken);
        await page.getByRole("button", { name: "Import", exact: true }).click();
        await page.getByText("Checkmarks.csv line 2: 3 fields, but the header has 2").waitFor();
        const [row] = await sql`select count(*)::int as n from public.habits where owner_id = ${userId}`;
        assert.equal(row.n, 5);
      });

      await step(
        "an impossible date is refused naming the file and line, and nothing is written",
        async () => {
          const impossible = await Deno.makeTempFile({ suffix: ".csv" });
          await Deno.writeTextFile(impossible, "Date,Meditate\n2026-02-30,2\n");
          await page.getByLabel("Checkmarks.csv").setInputFiles(impossible);
          await page.getByRole("button", { name: "Import", exact: true }).click();
          await page.getByText('Checkmarks.csv line 2: Date is not a date (YYYY-MM-DD): "2026-02-30"')
            .waitFor();
          const [row] = await sql`select count(*)::int as n from public.habits where owner_id = ${userId}`;
          assert.equal(row.n, 5);
        },
      );
      await step("in Russian, the refused file's line is said in Russian", async () => {
        await page.locator("header").getByLabel("Language").selectOption("ru");
        // The function answers in the profile's language, which the header saves.
        const deadline = Date.now() + 10_000;
        while ((await sql`select language from public.profiles where id = ${userId}`)[0]?.language !== "ru") {
          assert.ok(Date.now() < deadline, "the header never saved the language in the profile");
          await sleep(100);
        }
        await page.getByRole("button", { name: "Импорт", exact: true }).click();
        await page.getByText('Checkmarks.csv, строка 2: Date — не дата (ГГГГ-ММ-ДД): "2026-02-30"').waitFor();
        await page.locator("header").getByLabel("Язык").selectOption("en");
      });
      assert.deepEqual(consoleWatch.errors, []);
    } finally {
      if (userId) await sql`delete from auth.users where id = ${userId}`;
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
      await sql.end();
    }
  },
});
