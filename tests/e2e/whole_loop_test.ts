/**
 * The whole loop on the start command with no .env, in Chromium: `devstack/start.ts` on free ports
 * with a temporary --dir, then sign up, confirm through the mail catcher, connect Telegram by
 * clicking the SPA's link (it opens the Telegram stand-in's chat page, which sends /start <code>),
 * create a habit, see "New habit" in the chat, get a reminder there ("Remind me now"), press Done,
 * and see the completion in the SPA's history. Then Ctrl-C (SIGINT) stops everything within 10 s,
 * and a second start on the same ports and directory works.
 * Chat page screenshots go to E2E_SCREENSHOT_DIR (default: a temporary directory).
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import postgres from "postgres";
import { commandLine, isAlive, portInUse, signal } from "../../devstack/processes.ts";
import { expectEventually, launchChromium, watchConsole } from "./support/browser.ts";
import { confirmationLinkFor } from "./support/mailbox.ts";
import { freePort } from "./support/spa.ts";
import { loopSteps } from "../../devstack/status.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const PASSWORD = "habits2go4it";

interface Started {
  child: Deno.ChildProcess;
  output: string[];
  exited: Promise<Deno.CommandStatus>;
}

/** Runs the start command and waits for its status block (or its exit). */
async function start(dir: string, ports: Record<string, number>): Promise<Started> {
  const args = ["run", "-A", "devstack/start.ts", "--dir", dir, "--env-file", `${dir}/no-such.env`];
  for (const [flag, port] of Object.entries(ports)) args.push(`--${flag}-port`, String(port));
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output: string[] = [];
  let ready: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of stream) {
      buffer += decoder.decode(chunk, { stream: true });
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) {
        output.push(line);
        if (line.includes("Press Ctrl-C to stop.")) ready();
      }
    }
    if (buffer) output.push(buffer);
  };
  const drained = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const exited = child.status.then(async (status) => {
    await drained;
    return status;
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    isReady.then(() => "ready"),
    exited.then(() => "exited"),
    new Promise((resolve) => (timer = setTimeout(() => resolve("timeout"), 180_000))),
  ]);
  clearTimeout(timer);
  if (outcome !== "ready") {
    try {
      child.kill("SIGKILL");
    } catch {
      // gone
    }
    throw new Error(`the start command did not come up (${outcome}):\n${output.join("\n")}`);
  }
  return { child, output, exited };
}

/**
 * Ctrl-C (twice: the second stops at once): returns how long stopping took; fails if anything
 * it started is left.
 */
async function interrupt(
  started: Started,
  dir: string,
  ports: Record<string, number>,
  times: 1 | 2 = 1,
  asTerminal = false,
): Promise<number> {
  const state = JSON.parse(await Deno.readTextFile(`${dir}/start.json`)) as {
    children: { pid: number; command: string }[];
  };
  assert.ok(state.children.length >= 1, "the state file lists the processes this run started");
  const began = performance.now();
  started.child.kill("SIGINT");
  // A terminal's Ctrl-C reaches the whole foreground process group, children included.
  if (asTerminal) { for (const child of state.children) signal(child.pid, "SIGINT"); }
  if (times === 2) {
    await sleep(100);
    started.child.kill("SIGINT");
  }
  const status = await started.exited;
  const took = performance.now() - began;
  assert.equal(status.code, times === 1 ? 0 : 130, started.output.join("\n"));
  for (const child of state.children) {
    assert.ok(
      !isAlive(child.pid) || commandLine(child.pid) !== child.command,
      `process ${child.pid} is left: ${child.command}`,
    );
  }
  for (const [name, port] of Object.entries(ports)) {
    assert.ok(!portInUse(port), `the ${name} port ${port} is free`);
  }
  await assert.rejects(Deno.stat(`${dir}/start.json`), Deno.errors.NotFound, "the state file is removed");
  return took;
}

async function sendMessageCalls(chatUrl: string): Promise<number> {
  const counters = await (await fetch(`${chatUrl}/_control/counters`)).json();
  return counters.callsPerMethod.sendMessage ?? 0;
}

async function textOf(page: Page, selector: string): Promise<string> {
  return await page.locator(selector).innerText();
}

Deno.test({
  name: "the whole loop on the start command with no .env, through the Telegram chat page",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "habits-start-" });
    const shots = Deno.env.get("E2E_SCREENSHOT_DIR") ??
      await Deno.makeTempDir({ prefix: "habits-chat-shots-" });
    await Deno.mkdir(shots, { recursive: true });
    const ports = {
      api: freePort(),
      db: freePort(),
      mail: freePort(),
      smtp: freePort(),
      web: freePort(),
      telegram: freePort(),
    };
    const { db: _db, ...listening } = ports;
    const spaUrl = `http://127.0.0.1:${ports.web}`;
    const chatUrl = `http://127.0.0.1:${ports.telegram}`;
    const mailUrl = `http://127.0.0.1:${ports.mail}`;
    const email = `loop-${crypto.randomUUID()}@example.com`;
    let started: Started | undefined;
    const database = postgres(`postgresql://postgres@127.0.0.1:${ports.db}/postgres`, {
      max: 1,
      onnotice: () => {},
      connect_timeout: 5,
    });
    const browser = await launchChromium();
    try {
      started = await start(dir, ports);
      const status = started.output.join("\n");
      assert.match(status, new RegExp(`Telegram chat: ${chatUrl}`), "the status block names the chat page");
      assert.doesNotMatch(status, /^Initialize |DeprecationWarning/m, "a quiet start");
      assert.ok(
        status.includes(loopSteps({ web: spaUrl, mail: mailUrl, chat: chatUrl }).join("\n")),
        "the status block prints the six steps of the loop, as the README quotes them",
      );
      assert.match(
        status,
        new RegExp(`The database shell: psql 'postgresql://postgres@127.0.0.1:${ports.db}/postgres'`),
      );

      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-GB" });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const consoleWatch = watchConsole(page);
      let chat: Page | undefined;
      const step = async (name: string, body: () => Promise<void>) => {
        if (await t.step(name, body)) return;
        await page.screenshot({ path: `${shots}/failed-spa.png` }).catch(() => {});
        await chat?.screenshot({ path: `${shots}/failed-chat.png` }).catch(() => {});
        const counters = await fetch(`${chatUrl}/_control/counters`).then((r) => r.text()).catch(String);
        throw new Error(
          `step failed: ${name}\nconsole: ${consoleWatch.errors}\nTelegram counters: ${counters}\n` +
            `start command:\n${started?.output.join("\n")}`,
        );
      };

      await step("sign up and confirm through the mail catcher", async () => {
        await page.goto(`${spaUrl}/sign-up`);
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
        await page.getByRole("button", { name: "Sign up" }).click();
        await page.getByRole("heading", { name: "Check your e-mail" }).waitFor();
        await page.goto(await confirmationLinkFor(mailUrl, email));
        // The first confirmation cleared the password typed at sign-up: the person chooses it now.
        await page.getByRole("heading", { name: "Choose your password" }).waitFor();
        await page.getByLabel("New password").fill(PASSWORD);
        await page.getByRole("button", { name: "Save the password" }).click();
        // Signed in, the app opens on Today, which teaches the habit formula while there is none.
        await page.waitForURL(`${spaUrl}/`);
        await page.getByRole("heading", { name: "Start with one small habit" }).waitFor();
      });

      await step(
        "clicking the SPA's Telegram link opens the chat page, which connects the chat",
        async () => {
          await page.goto(`${spaUrl}/telegram`);
          await page.getByRole("button", { name: "Connect Telegram" }).click();
          const link = page.getByRole("link", { name: "Open Telegram and connect" });
          const href = await link.getAttribute("href");
          assert.match(href ?? "", new RegExp(`^${chatUrl}/habits_local_bot\\?start=[A-Za-z0-9_-]+$`));
          const [opened] = await Promise.all([context.waitForEvent("page"), link.click()]);
          chat = opened;
          chat.setDefaultTimeout(20_000);
          await chat.getByText("✅ Connected!").waitFor();
          // The person sees "/start", as in Telegram; the payload went to the bot.
          await chat.locator(".msg.user", { hasText: /^\/start/ }).first().waitFor();
          assert.doesNotMatch(await textOf(chat, "#log"), /start [A-Za-z0-9_-]{16,}/);
          await page.getByTestId("telegram-status").getByText("Connected").waitFor();
        },
      );

      await step("a new habit's message arrives in the chat", async () => {
        await page.goto(`${spaUrl}/habits/new`);
        await page.getByLabel("I will (action)").fill("stretch for a minute");
        // Typed with its own preposition: the sentences must not add a second one.
        await page.getByLabel("in (place)").fill("in the living room");
        await page.getByLabel(/^at \(time of day/).fill("06:15");
        await page.getByLabel("Every … days (1–7)").fill("1");
        await page.getByLabel("Takes … seconds (at most 120)").fill("60");
        await page.getByRole("button", { name: "Create habit" }).click();
        await page.getByText("Created “I will stretch for a minute”.").waitFor();
        await chat!.getByText("New habit").waitFor({ timeout: 30_000 });
        await chat!.screenshot({ path: `${shots}/chat-habit-created.png` });
      });

      await step("the place is written once, in the chat and on Today", async () => {
        const log = await textOf(chat!, "#log");
        assert.match(log, /at 6:15 AM in the living room/);
        assert.doesNotMatch(log, /in in /);
        await page.goto(`${spaUrl}/`);
        await page.getByRole("link", { name: /stretch for a minute/ }).first().waitFor();
        const today = await textOf(page, "main");
        assert.match(today, /in the living room/);
        assert.doesNotMatch(today, /in in /);
      });

      await step("Remind me now: the reminder arrives with Done and Snooze buttons", async () => {
        // Right after "New habit": the dispatcher waits out the chat's gap itself, no 429.
        await chat!.getByRole("button", { name: "Remind me now" }).click();
        await chat!.getByText("Time for your habit").waitFor({ timeout: 20_000 });
        await chat!.getByRole("button", { name: "✅ Done" }).waitFor();
        await chat!.getByRole("button", { name: "⏰ Snooze 15 min" }).waitFor();
        await chat!.screenshot({ path: `${shots}/chat-reminder.png` });
      });

      await step("a reminder on demand leaves the habit's time as it was", async () => {
        const habits = await database<{ time: string }[]>`select time::text as time from public.habits`;
        assert.deepEqual(habits.map((h) => h.time), ["06:15:00"]);
        await page.goto(`${spaUrl}/habits`);
        await page.getByRole("link", { name: "I will stretch for a minute at 6:15 AM in the living room" })
          .waitFor();
      });

      await step("pressing Done answers with a toast and a message", async () => {
        // At once, within a second of the reminder: the reply takes the chat's next slot.
        await chat!.getByRole("button", { name: "✅ Done" }).click();
        await chat!.locator("#toast", { hasText: "✅ Recorded" }).waitFor();
        await chat!.getByText("is recorded").waitFor();
        await chat!.screenshot({ path: `${shots}/chat-done.png` });
      });

      await step(
        "Done marks the reminder itself: no Snooze left, a second press says it is recorded",
        async () => {
          // done-mark.ts: the pressed row becomes one "☑️ Done: <habit>" button, so a done occurrence
          // offers no Snooze (pgTAP 185 pins what the database answers to a Snooze of a done one).
          const mark = chat!.getByRole("button", { name: "☑️ Done: stretch for a minute" });
          await mark.waitFor();
          assert.equal(await chat!.getByRole("button", { name: "⏰ Snooze 15 min" }).count(), 0);
          await mark.click();
          await chat!.locator("#alert-text", { hasText: "Already recorded. Well done!" }).waitFor();
          await chat!.getByRole("button", { name: "OK" }).click();
          const [{ count }] = await database<{ count: number }[]>`
          select count(*)::int as count from public.notifications where kind = 'snoozed_reminder'`;
          assert.equal(count, 0, "no reminder is queued for the done occurrence");
          const [{ completions }] = await database<{ completions: number }[]>`
          select count(*)::int as completions from public.habit_completions`;
          assert.equal(completions, 1, "the second press records nothing");
        },
      );

      await step("the completion shows in the SPA's history", async () => {
        await page.goto(`${spaUrl}/habits`);
        await page.locator(".habit-card", { hasText: "stretch for a minute" }).getByRole("link", {
          name: "History",
        })
          .click();
        await page.getByRole("button", { name: "Done for this time ✓" }).waitFor();
        await expectEventually(
          () => page.getByTestId("current-streak").innerText(),
          "1",
          "the current streak",
        );
      });

      await step("each service has its log in the data folder, named in the status block", async () => {
        assert.match(started!.output.join("\n"), /Logs, one per service: .*\/logs\/<service>\.log/);
        const log = (service: string) => Deno.readTextFile(`${dir}/logs/${service}.log`);
        assert.match(await log("telegram-webhook"), /POST \/functions\/v1\/telegram-webhook 200 \d+ ms/);
        assert.match(await log("auth"), /POST \/auth\/v1\/signup 200/);
        assert.match(await log("rest"), /GET \/rest\/v1\/habits 200/);
      });

      await step(
        "Ctrl-C stops everything within 10 s, even with a Bot API call hanging, printing no error line",
        async () => {
          // The Bot API stops answering, and the person writes: the webhook function waits on it.
          const rule = await fetch(`${chatUrl}/_control/chaos`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ kind: "hang", methods: ["sendMessage"] }),
          });
          assert.equal(rule.status, 201);
          await rule.body?.cancel();
          const before = await sendMessageCalls(chatUrl);
          await chat!.getByRole("textbox", { name: "Message" }).fill("/help");
          await chat!.getByRole("button", { name: "Send" }).click();
          const deadline = Date.now() + 20_000;
          while (await sendMessageCalls(chatUrl) === before) {
            assert.ok(Date.now() < deadline, "the webhook never called sendMessage");
            await sleep(100);
          }
          const stopped = started!;
          const took = await interrupt(stopped, dir, listening, 1, true);
          started = undefined;
          assert.ok(took < 10_000, `stopping took ${Math.round(took)} ms`);
          const output = stopped.output.join("\n");
          assert.doesNotMatch(output, /exited with code/, "Ctrl-C prints no error line");
          assert.ok(!portInUse(ports.db), "the database stopped too");
        },
      );

      await step("a second start on the same ports and directory works", async () => {
        started = await start(dir, ports);
        const answer = await fetch(`${chatUrl}/bot1000000001:devstack-local-bot-token/getWebhookInfo`);
        const info = (await answer.json()).result;
        assert.equal(info.url, `http://127.0.0.1:${ports.api}/functions/v1/telegram-webhook`);
      });

      await step("a person and their conversation survive the restart", async () => {
        await chat!.reload();
        await chat!.getByText("✅ Connected!").waitFor();
        await chat!.getByText("is recorded").waitFor();
        const before = await sendMessageCalls(chatUrl);
        await chat!.getByRole("textbox", { name: "Message" }).fill("/habits");
        await chat!.getByRole("button", { name: "Send" }).click();
        // The chat stored in the database before the restart still reaches its person.
        await chat!.getByText(/^Your habits/).first().waitFor();
        assert.ok(await sendMessageCalls(chatUrl) > before);
        assert.match(
          await textOf(chat!, "#log"),
          /1\. I will stretch for a minute at 6:15 AM in the living room/,
        );
        const people = await (await fetch(`${chatUrl}/api/users`)).json() as { id: number }[];
        const created = await fetch(`${chatUrl}/api/users`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ first_name: "Newcomer" }),
        });
        const newcomer = await created.json() as { id: number };
        assert.ok(
          !people.some((person) => person.id === newcomer.id),
          "a person created after the restart gets an id nobody had",
        );
      });

      await step("with several habits, Remind me now asks which one and reminds only that one", async () => {
        await database`
          insert into public.habits (owner_id, action, place, time, duration_seconds)
          select id, 'read one page', 'bed', '21:00', 60 from auth.users where email = ${email}`;
        await chat!.getByRole("button", { name: "Remind me now" }).click();
        await chat!.locator("#chat-status", { hasText: "Which habit?" }).waitFor();
        await chat!.locator("#remind-choices").getByRole("button", { name: "21:00 read one page" }).click();
        await chat!.locator(".msg", { hasText: /Time for your habit[\s\S]*read one page at 9:00 PM in bed/ })
          .first()
          .waitFor({ timeout: 20_000 });
        const times = await database<{ action: string; time: string }[]>`
          select action, time::text as time from public.habits order by time`;
        assert.deepEqual([...times], [
          { action: "stretch for a minute", time: "06:15:00" },
          { action: "read one page", time: "21:00:00" },
        ]);
      });

      await step("a signed-in tab whose account no longer exists is signed out and told why", async () => {
        // What --reset does to a signed-in tab: its account is gone from the server.
        await page.goto(`${spaUrl}/`);
        await page.getByRole("link", { name: /stretch for a minute/ }).first().waitFor();
        await database`delete from auth.users where email = ${email}`;
        await page.reload();
        await page.getByRole("heading", { name: "Sign in" }).waitFor();
        await page.getByText("You were signed out: your account no longer exists on this server").waitFor();
        assert.doesNotMatch(await textOf(page, "main"), /stretch for a minute/);
      });

      await step("after a crash, the next start stops what the crashed run left, then comes up", async () => {
        const crashed = started!;
        started = undefined;
        crashed.child.kill("SIGKILL");
        // Its web server and database outlive it, holding their ports.
        await sleep(300);
        assert.ok(
          portInUse(ports.web) && portInUse(ports.db),
          "the crashed run left its web server and database",
        );
        started = await start(dir, ports);
        assert.match(started.output.join("\n"), /did not stop cleanly; cleaning up after it/);
        assert.match(started.output.join("\n"), /was left running by that start; using it/);
        await crashed.exited;
        const took = await interrupt(started, dir, listening, 2);
        started = undefined;
        assert.ok(took < 10_000, `a second Ctrl-C stopped it at once, not after ${Math.round(took)} ms`);
        assert.ok(!portInUse(ports.db), "the adopted database stopped too");
      });
    } finally {
      await database.end({ timeout: 1 });
      await browser.close();
      if (started) {
        // What it started holds its output pipes: kill that too, or waiting for the exit hangs.
        const state = await Deno.readTextFile(`${dir}/start.json`).then(JSON.parse).catch(() => ({
          children: [],
        }));
        for (const child of state.children as { pid: number }[]) signal(child.pid, "SIGKILL");
        signal(started.child.pid, "SIGKILL");
        await started.exited;
      }
      const cluster = new Deno.Command("bash", {
        args: [`${ROOT}/devstack/postgres/cluster.sh`, "remove", `${dir}/db`],
        stdout: "null",
        stderr: "null",
      });
      await cluster.output();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
