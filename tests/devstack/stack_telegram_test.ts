import assert from "node:assert/strict";
import { expect } from "expect";
import { startStack } from "../../devstack/stack.ts";
import { createTestCluster } from "./pg_cluster.ts";

/** A function that shows the Telegram settings it was given. */
const ENV_FUNCTION = `Deno.serve(() => Response.json(Object.fromEntries(
  ["TELEGRAM_BOT_TOKEN", "TELEGRAM_BOT_USERNAME", "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_API_ROOT", "SITE_URL"]
    .map((name) => [name, Deno.env.get(name) ?? null]))));\n`;

Deno.test("the stack's Telegram: the stand-in by default, a real bot from the env file", async (t) => {
  const cluster = await createTestCluster();
  const dir = await Deno.makeTempDir({ prefix: "devstack-telegram-" });
  try {
    await Deno.mkdir(`${dir}/functions/show-env`, { recursive: true });
    await Deno.writeTextFile(`${dir}/functions/show-env/index.ts`, ENV_FUNCTION);
    await Deno.writeTextFile(`${dir}/config.toml`, "[functions.show-env]\nverify_jwt = false\n");
    const options = {
      databaseUrl: cluster.url,
      functionsDir: `${dir}/functions`,
      configPath: `${dir}/config.toml`,
      siteUrl: "http://127.0.0.1:5999",
      pgNet: { enabled: false },
    };
    const secrets: string[] = [];
    const settingsSeen = async (api: string) => await (await fetch(`${api}/functions/v1/show-env`)).json();

    await t.step(
      "no token anywhere: the stand-in, with its webhook and the functions' settings",
      async () => {
        const stack = await startStack(options);
        try {
          assert.ok(stack.telegram, "the stand-in runs");
          assert.deepEqual(stack.bot, { username: "habits_local_bot", deepLinkBase: stack.telegram.url });
          const seen = await settingsSeen(stack.urls.api);
          expect(seen).toEqual({
            TELEGRAM_BOT_TOKEN: stack.telegram.token,
            TELEGRAM_BOT_USERNAME: "habits_local_bot",
            TELEGRAM_WEBHOOK_SECRET: stack.env.TELEGRAM_WEBHOOK_SECRET,
            TELEGRAM_API_ROOT: stack.telegram.apiRoot,
            SITE_URL: "http://127.0.0.1:5999",
          });
          secrets.push(seen.TELEGRAM_WEBHOOK_SECRET);
          expect(stack.telegram.api.updates.info()).toMatchObject({
            url: `${stack.urls.api}/functions/v1/telegram-webhook`,
            allowed_updates: ["message", "callback_query", "my_chat_member", "channel_post"],
          });
        } finally {
          await stack.stop();
        }
      },
    );

    await t.step("the local webhook secret is random and new on every start, never a constant", async () => {
      const stack = await startStack(options);
      try {
        secrets.push((await settingsSeen(stack.urls.api)).TELEGRAM_WEBHOOK_SECRET);
      } finally {
        await stack.stop();
      }
      assert.equal(secrets.length, 2);
      for (const secret of secrets) assert.match(secret, /^[0-9a-f]{64}$/);
      assert.notEqual(secrets[0], secrets[1]);
    });

    await t.step("a token in the env file: no stand-in, t.me deep links, the file's settings", async () => {
      await Deno.writeTextFile(
        `${dir}/.env`,
        "TELEGRAM_BOT_TOKEN=42:real-token\nTELEGRAM_BOT_USERNAME=real_habits_bot\n" +
          "TELEGRAM_WEBHOOK_SECRET=real-secret-0123456789\nSITE_URL=https://habits.example.com\n",
      );
      const stack = await startStack({ ...options, functionsEnvFile: `${dir}/.env` });
      try {
        assert.equal(stack.telegram, undefined);
        assert.equal(stack.urls.telegram, undefined);
        assert.deepEqual(stack.bot, { username: "real_habits_bot", deepLinkBase: "https://t.me" });
        expect(await settingsSeen(stack.urls.api)).toEqual({
          TELEGRAM_BOT_TOKEN: "42:real-token",
          TELEGRAM_BOT_USERNAME: "real_habits_bot",
          TELEGRAM_WEBHOOK_SECRET: "real-secret-0123456789",
          TELEGRAM_API_ROOT: null,
          SITE_URL: "https://habits.example.com",
        });
      } finally {
        await stack.stop();
      }
    });
  } finally {
    await cluster.remove();
    await Deno.remove(dir, { recursive: true });
  }
});
