/**
 * The SPA end to end in a real browser (Debian's Chromium through playwright-core), against the
 * devstack: sign up, confirm through the e-mail, sign in, link Telegram (the test plays the
 * user's Telegram by posting `/start <code>` to the webhook), create habits that pass and break
 * each rule, page through them, edit, pause, complete, delete, browse public habits, settings,
 * API docs, sign out. Screenshots of each main page at desktop and phone width go to
 * E2E_SCREENSHOT_DIR (default: a temporary directory).
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { connectTestDatabase, uniqueChatId } from "../support/database.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";
import { TEST_BOT_TOKEN, TEST_REMINDERS_SECRET, TEST_WEBHOOK_SECRET } from "../support/functions.ts";
import { postUpdate, textMessage } from "../support/telegram-updates.ts";
import {
  DESKTOP,
  expectEventually,
  failFastSteps,
  PHONE,
  screenshotDir,
  watchConsole,
} from "./support/browser.ts";
import { confirmationLinkFor } from "./support/mailbox.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const BOT_USERNAME = "habits_test_bot";
const PASSWORD = "habits2go4it";

async function fillHabitForm(
  page: Page,
  habit: { action: string; place: string; time?: string; interval?: string; duration?: string },
) {
  await page.getByLabel("I will (action)").fill(habit.action);
  await page.getByLabel("in (place)").fill(habit.place);
  await page.getByLabel(/^at \(time of day/).fill(habit.time ?? "07:30");
  await page.getByLabel("Every … days (1–7)").fill(habit.interval ?? "1");
  await page.getByLabel("Takes … seconds (at most 120)").fill(habit.duration ?? "60");
}

async function createHabitThroughForm(
  page: Page,
  spaUrl: string,
  habit: Parameters<typeof fillHabitForm>[1] & {
    pleasant?: boolean;
    public?: boolean;
    reward?: string;
    linkTo?: string;
  },
) {
  await page.goto(`${spaUrl}/habits/new`);
  await fillHabitForm(page, habit);
  if (habit.pleasant) await page.getByLabel("This is a pleasant habit (something I enjoy)").check();
  if (habit.public) await page.getByLabel("Public", { exact: true }).check();
  if (habit.reward) {
    await page.getByLabel("A reward").check();
    await page.getByLabel("Reward", { exact: true }).fill(habit.reward);
  }
  if (habit.linkTo) {
    await page.getByLabel("One of my pleasant habits").check();
    await page.getByLabel("Pleasant habit", { exact: true }).selectOption({ label: habit.linkTo });
  }
  await page.getByRole("button", { name: "Create habit" }).click();
  await page.getByText(`Created “I will ${habit.action}”.`).waitFor();
}

Deno.test({
  name: "the SPA from sign-up to sign-out in Chromium",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN, botUsername: BOT_USERNAME });
    const shots = await screenshotDir();
    const email = `e2e-${crypto.randomUUID()}@example.com`;
    const chatId = uniqueChatId();
    const cleanups: (() => Promise<unknown>)[] = [];
    // Link codes carry a t.me deep link when the database knows the bot's username.
    const botSecretExisted =
      (await sql`select from vault.secrets where name = 'telegram_bot_username'`).length > 0;
    if (!botSecretExisted) await sql`select vault.create_secret(${BOT_USERNAME}, 'telegram_bot_username')`;

    try {
      const app = await startSpaStack("signup", (spaUrl) => ({
        // Long enough that the first resend is surely too soon on a busy machine.
        maxEmailFrequencySeconds: 5,
        functionsEnv: {
          TELEGRAM_API_ROOT: telegram.apiRoot,
          TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
          TELEGRAM_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
          TELEGRAM_BOT_USERNAME: BOT_USERNAME,
          SITE_URL: spaUrl,
          REMINDERS_SECRET: TEST_REMINDERS_SECRET,
        },
      }));
      cleanups.push(() => app.close());
      const { stack, spaUrl, browser } = app;

      const context = await browser.newContext({
        viewport: DESKTOP,
        timezoneId: "Europe/Berlin",
        locale: "en-GB",
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const consoleWatch = watchConsole(page);
      const step = failFastSteps(t, page, consoleWatch, `${shots}/failed-step.png`);
      const shoot = (name: string) => page.screenshot({ path: `${shots}/desktop-${name}.png` });

      await step("sign-up shows the password rules and enforces them before sending", async () => {
        await page.goto(`${spaUrl}/sign-up`);
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password", { exact: true }).fill("short1");
        await page.getByRole("button", { name: "Sign up" }).click();
        await page.getByText("The password does not meet every rule below.").waitFor();
        assert.match(
          await page.getByRole("list", { name: "Password rules" }).innerText(),
          /At least 8 characters/,
        );
        await shoot("sign-up");
        await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
        await page.getByRole("button", { name: "Sign up" }).click();
        await page.getByRole("heading", { name: "Check your e-mail" }).waitFor();
        await page.getByText(email).waitFor();
        await shoot("check-email");
      });

      await step("resending the confirmation e-mail: too soon, then sent", async () => {
        await page.getByRole("button", { name: "Send the e-mail again" }).click();
        await page.getByText("We just sent you an e-mail. Wait a minute before asking for another one.")
          .waitFor();
        await sleep(5100);
        await page.getByRole("button", { name: "Send the e-mail again" }).click();
        await page.getByText(`We sent the link to ${email} again.`).waitFor();
      });

      await step("signing in before confirming explains what to do", async () => {
        await page.goto(`${spaUrl}/sign-in`);
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password").fill(PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByText("Confirm your e-mail address first").waitFor();
      });

      await step("the link in the e-mail confirms and signs in (PKCE code exchanged)", async () => {
        const link = await confirmationLinkFor(stack.urls.mail, email);
        await page.goto(link);
        // The first confirmation cleared the password typed at sign-up: the person chooses it now.
        await page.getByRole("heading", { name: "Choose your password" }).waitFor();
        await page.getByLabel("New password").fill(PASSWORD);
        await page.getByRole("button", { name: "Save the password" }).click();
        await page.waitForURL(`${spaUrl}/`);
        await page.getByText("Your e-mail is confirmed. Welcome!").waitFor();
        await page.getByTestId("habit-formula").waitFor();
        await shoot("today-empty");
      });

      await step("the session survives a reload", async () => {
        await page.reload();
        await page.getByRole("heading", { level: 1, name: "Today" }).waitFor();
      });

      await step("sign out, then a wrong password gets a sentence, the right one signs in", async () => {
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.getByRole("heading", { name: "Sign in" }).waitFor();
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password").fill("wrong-password-1");
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByText("The e-mail or password is wrong.").waitFor();
        await shoot("sign-in");
        await page.getByLabel("Password").fill(PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByRole("heading", { level: 1, name: "Today" }).waitFor();
      });

      await step(
        "a habit before Telegram is linked: the rule's sentence, a way to link, input kept",
        async () => {
          await page.goto(`${spaUrl}/habits/new`);
          await fillHabitForm(page, {
            action: "drink a glass of water",
            place: "the kitchen",
            time: "00:00",
          });
          await page.getByRole("button", { name: "Create habit" }).click();
          await page.getByText("Connect your Telegram chat first: reminders are sent there.").waitFor();
          await expectEventually(
            () => page.getByLabel("I will (action)").inputValue(),
            "drink a glass of water",
            "the action field",
          );
          await page.getByRole("link", { name: "Connect Telegram now" }).click();
          await page.getByRole("heading", { name: "Telegram" }).waitFor();
        },
      );

      await step("Telegram: code, deep link and QR; linking in Telegram updates the page", async () => {
        await page.getByText("Not connected.").waitFor();
        await page.getByRole("button", { name: "Connect Telegram" }).click();
        const command = await page.getByTestId("link-command").innerText();
        const code = command.replace("/start ", "");
        const deepLink = await page.getByRole("link", { name: "Open Telegram and connect" }).getAttribute(
          "href",
        );
        assert.equal(deepLink, `https://t.me/${BOT_USERNAME}?start=${code}`);
        await page.locator(".qr svg").waitFor();
        await shoot("telegram-connect");
        const response = await postUpdate(
          `${stack.urls.api}/functions/v1/telegram-webhook`,
          textMessage(chatId, command),
          TEST_WEBHOOK_SECRET,
        );
        assert.equal(response.status, 200);
        await response.body?.cancel();
        await page.getByTestId("telegram-status").getByText("Connected").waitFor({ timeout: 15_000 });
        await shoot("telegram-linked");
      });

      await step("the form checks every rule as the user types, and keeps the draft", async () => {
        await page.goto(`${spaUrl}/habits/new`);
        const action = page.getByLabel("I will (action)");
        await expectEventually(() => action.inputValue(), "drink a glass of water", "the action field");
        await action.fill("");
        await page.getByText("Describe the action in 1 to 200 characters.").waitFor();
        await action.fill("x".repeat(201));
        await page.getByText("Describe the action in 1 to 200 characters.").waitFor();
        await action.fill("drink a glass of water");
        await page.getByLabel("in (place)").fill("");
        await page.getByText("Name the place in 1 to 200 characters.").waitFor();
        await page.getByLabel("in (place)").fill("the kitchen");
        await page.getByLabel("Every … days (1–7)").fill("8");
        await page.getByText("Choose how often: every 1 to 7 days (at least once a week).").waitFor();
        await page.getByLabel("Every … days (1–7)").fill("0");
        await page.getByText("Choose how often: every 1 to 7 days (at least once a week).").waitFor();
        await page.getByLabel("Every … days (1–7)").fill("1");
        await page.getByLabel("Takes … seconds (at most 120)").fill("121");
        await page.getByText("A habit takes at most 120 seconds: choose 1 to 120 seconds.").waitFor();
        await page.getByLabel("A reward").check();
        await page.getByLabel("Reward", { exact: true }).fill("r".repeat(201));
        await page.getByText("Keep the reward to 1 to 200 characters, or leave it empty.").waitFor();
        await page.getByRole("button", { name: "Create habit" }).click();
        // Nothing was sent: still on the form, everything typed still there.
        assert.equal(new URL(page.url()).pathname, "/habits/new");
        await expectEventually(
          () => page.getByLabel("Takes … seconds (at most 120)").inputValue(),
          "121",
          "the duration field",
        );
        await shoot("habit-form-errors");
        await page.getByLabel("Takes … seconds (at most 120)").fill("30");
        await page.getByLabel("Reward", { exact: true }).fill("a square of chocolate");
        await page.getByRole("button", { name: "Create habit" }).click();
        await page.getByText("Created “I will drink a glass of water”.").waitFor();
      });

      await step("pleasant, linked and more habits; only pleasant ones are offered as links", async () => {
        await createHabitThroughForm(page, spaUrl, {
          action: "listen to one song",
          place: "the sofa",
          pleasant: true,
          public: true,
        });
        await page.goto(`${spaUrl}/habits/new`);
        await page.getByLabel("One of my pleasant habits").check();
        const options = await page.getByLabel("Pleasant habit", { exact: true }).locator("option")
          .allInnerTexts();
        assert.deepEqual(options, ["Choose…", "listen to one song (the sofa)"]);
        await createHabitThroughForm(page, spaUrl, {
          action: "do ten squats",
          place: "the hall",
          linkTo: "listen to one song (the sofa)",
        });
        for (const action of ["floss one tooth", "write one line", "stretch for a minute", "water a plant"]) {
          await createHabitThroughForm(page, spaUrl, {
            action,
            place: "home",
            interval: "2",
            duration: "45",
          });
        }
      });

      await step("five habits a page, with page controls", async () => {
        await page.goto(`${spaUrl}/habits`);
        await page.getByText("7 habits").waitFor();
        assert.equal(await page.locator(".habit-card").count(), 5);
        await page.getByText("Page 1 of 2").waitFor();
        await shoot("habits");
        await page.getByRole("button", { name: "Next →" }).click();
        await page.getByText("Page 2 of 2").waitFor();
        await page.waitForURL(/page=2/);
        await page.locator(".habit-card").nth(2).waitFor({ state: "detached" });
        assert.equal(await page.locator(".habit-card").count(), 2);
      });

      await step("edit: a server rule's sentence keeps the form; a valid change saves", async () => {
        await page.goto(`${spaUrl}/habits?page=2`);
        const pleasantCard = page.locator(".habit-card", { hasText: "listen to one song" });
        await pleasantCard.getByRole("link", { name: "Edit" }).click();
        await page.getByRole("heading", { name: "Edit habit" }).waitFor();
        await page.getByLabel("This is a pleasant habit (something I enjoy)").uncheck();
        await page.getByRole("button", { name: "Save changes" }).click();
        await page.getByText("Other habits link to this one, so it must stay pleasant.").waitFor();
        assert.equal(
          await page.getByLabel("This is a pleasant habit (something I enjoy)").isChecked(),
          false,
        );
        await page.getByLabel("This is a pleasant habit (something I enjoy)").check();
        await page.getByLabel("in (place)").fill("the armchair");
        await page.getByRole("button", { name: "Save changes" }).click();
        await page.getByText("Saved your changes.").waitFor();
      });

      await step("pause and resume", async () => {
        const card = page.locator(".habit-card", { hasText: "water a plant" });
        await card.getByRole("button", { name: "Pause" }).click();
        await card.getByText("No reminders while paused.").waitFor();
        await card.getByRole("button", { name: "Resume" }).click();
        await card.getByText("Next reminder:").waitFor();
      });

      await step("history: mark today's occurrence done, streaks and deliveries", async () => {
        await page.goto(`${spaUrl}/habits?page=2`);
        await page.locator(".habit-card", { hasText: "drink a glass of water" }).getByRole("link", {
          name: "History",
        }).click();
        await page.getByRole("heading", { name: /drink a glass of water/ }).waitFor();
        await expectEventually(
          () => page.getByTestId("current-streak").innerText(),
          "0",
          "the current streak",
        );
        await page.getByRole("button", { name: "Mark as done" }).click();
        await page.getByText("Marked as done. Well done!").waitFor();
        await page.getByRole("button", { name: "Done for this time ✓" }).waitFor();
        await expectEventually(
          () => page.getByTestId("current-streak").innerText(),
          "1",
          "the current streak",
        );
        await expectEventually(() => page.getByTestId("best-streak").innerText(), "1", "the best streak");
        // The "habit created" message went out through the fake Bot API.
        await page.reload();
        await page.getByRole("cell", { name: "Habit created" }).waitFor();
        await shoot("history");
      });

      await step("delete asks first", async () => {
        await page.goto(`${spaUrl}/habits`);
        const card = page.locator(".habit-card", { hasText: "floss one tooth" });
        await card.getByRole("button", { name: "Delete" }).click();
        const dialog = page.getByRole("dialog", { name: "Delete this habit?" });
        await dialog.getByRole("button", { name: "Cancel" }).click();
        await page.getByText("7 habits").waitFor();
        await card.getByRole("button", { name: "Delete" }).click();
        await shoot("delete-confirm");
        await dialog.getByRole("button", { name: "Delete habit" }).click();
        await page.getByText("Deleted “I will floss one tooth").waitFor();
        await page.getByText("6 habits").waitFor();
      });

      await step("public habits: no owner shown, copy one as a template", async () => {
        await page.goto(`${spaUrl}/public`);
        const card = page.locator(".card", {
          hasText: "I will listen to one song at 7:30 AM in the armchair",
        });
        await card.waitFor();
        assert.doesNotMatch(await card.innerText(), new RegExp(email));
        await shoot("public-habits");
        // The button's name is what it says; the habit it copies is its description.
        const copy = card.getByRole("button", { name: "Use as template" });
        assert.match(
          await copy.evaluate((button) => {
            const id = button.getAttribute("aria-describedby") ?? "";
            return document.getElementById(id)?.textContent ?? "";
          }),
          /listen to one song/,
        );
        await copy.click();
        await page.getByText("Copied from a public habit.").waitFor();
        await expectEventually(
          () => page.getByLabel("I will (action)").inputValue(),
          "listen to one song",
          "the action field",
        );
        await expectEventually(
          () => page.getByLabel("in (place)").inputValue(),
          "the armchair",
          "the place field",
        );
      });

      await step("settings: display name and a searchable time zone", async () => {
        await page.goto(`${spaUrl}/settings`);
        const zone = page.getByLabel("Time zone");
        await expectEventually(() => zone.inputValue(), "Europe/Berlin", "the time zone field");
        await zone.fill("Mars/Olympus");
        await page.getByText("Choose a time zone from the list, e.g. Europe/Berlin.").waitFor();
        await zone.fill("America/New_York");
        await page.getByLabel("Display name").fill("E2E tester");
        await page.getByRole("button", { name: "Save settings" }).click();
        await page.getByText("Saved. Reminders now follow this time zone.").waitFor();
        await shoot("settings");
      });

      await step("API docs: the Data API's OpenAPI document in Swagger UI", async () => {
        await page.goto(`${spaUrl}/swagger`);
        await page.waitForURL(`${spaUrl}/api-docs`);
        await page.getByTestId("swagger-ui").locator(".opblock-tag", { hasText: "habits" }).first().waitFor();
        await shoot("api-docs");
      });

      await step("dark mode toggle", async () => {
        await page.goto(`${spaUrl}/habits`);
        await page.getByLabel("Colour theme").selectOption("dark");
        assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
        await shoot("habits-dark");
        await page.getByLabel("Colour theme").selectOption("system");
      });

      await step("phone width: every main page", async () => {
        const phone: BrowserContext = await browser.newContext({
          viewport: PHONE,
          timezoneId: "Europe/Berlin",
          locale: "en-GB",
          storageState: await context.storageState(),
          isMobile: true,
          hasTouch: true,
        });
        try {
          const phonePage = await phone.newPage();
          const phoneConsole = watchConsole(phonePage);
          const pages: [string, string, () => Promise<void>][] = [
            ["habits", "/habits", () => phonePage.getByText("6 habits").waitFor()],
            ["habit-form", "/habits/new", () => phonePage.getByLabel("I will (action)").waitFor()],
            ["telegram", "/telegram", () => phonePage.getByText("Connected").first().waitFor()],
            ["public-habits", "/public", () => phonePage.locator(".card").first().waitFor()],
            ["settings", "/settings", () => phonePage.getByLabel("Time zone").waitFor()],
          ];
          for (const [name, path, ready] of pages) {
            await phonePage.goto(`${spaUrl}${path}`);
            await ready();
            await phonePage.screenshot({ path: `${shots}/phone-${name}.png` });
          }
          const firstHabit = phonePage.locator(".habit-card").first();
          await phonePage.goto(`${spaUrl}/habits`);
          await firstHabit.getByRole("link", { name: "History" }).click();
          await phonePage.getByTestId("current-streak").waitFor();
          await phonePage.screenshot({ path: `${shots}/phone-history.png` });
          assert.deepEqual(phoneConsole.errors, []);
        } finally {
          await phone.close();
        }
      });

      await step("disconnect Telegram asks first, then unlinks the chat", async () => {
        await page.goto(`${spaUrl}/telegram`);
        await page.getByTestId("telegram-status").getByText("Connected").waitFor();
        await page.getByRole("button", { name: "Disconnect Telegram" }).click();
        await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
        await page.getByTestId("telegram-status").getByText("Connected").waitFor();
        await page.getByRole("button", { name: "Disconnect Telegram" }).click();
        await page.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
        await page.getByText("Not connected.").waitFor();
      });

      await step("sign out", async () => {
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.getByRole("heading", { name: "Sign in" }).waitFor();
        await page.goto(`${spaUrl}/habits`);
        await page.waitForURL(`${spaUrl}/sign-in`);
        await page.goto(`${spaUrl}/sign-up`);
        await shoot("sign-up-empty");
      });

      assert.deepEqual(consoleWatch.errors, [], "the browser console shows no errors");
    } finally {
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch((error) => console.error("[e2e] cleanup failed:", error));
      }
      await sql`delete from auth.users where email = ${email}`.catch(() => {});
      if (!botSecretExisted) await sql`delete from vault.secrets where name = 'telegram_bot_username'`;
      await sql.end();
      await telegram.close();
      console.log(`[e2e] screenshots in ${shots}`);
    }
  },
});
