import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import { z } from "zod";
import { timingSafeEqual } from "../_shared/secrets.ts";
import type { WebhookStore } from "./store.ts";

/** Telegram's updates are small; anything near this is not from Telegram. */
const MAX_UPDATE_BYTES = 256 * 1024;

const updateShape = z.object({ update_id: z.number().int().nonnegative() }).passthrough();

/**
 * The webhook endpoint: checks Telegram's secret header, drops redelivered update ids (recorded
 * in the database), and hands each new update to grammY. An update whose handling fails is
 * forgotten again and answered 500, so that Telegram delivers it once more.
 */
export function createWebhookApp(options: { bot: Bot; store: WebhookStore; secret: string }) {
  const { bot, store, secret } = options;
  const app = new Hono();

  app.onError((error, c) => {
    console.error("telegram-webhook:", error);
    return c.json({ error: "internal_error", message: "The update could not be handled." }, 500);
  });

  app.post(
    "*",
    bodyLimit({
      maxSize: MAX_UPDATE_BYTES,
      onError: (c) =>
        c.json(
          { error: "payload_too_large", message: `Updates are limited to ${MAX_UPDATE_BYTES} bytes.` },
          413,
        ),
    }),
    async (c) => {
      if (!timingSafeEqual(c.req.header("X-Telegram-Bot-Api-Secret-Token") ?? "", secret)) {
        return c.json(
          { error: "unauthorized", message: "Wrong or missing X-Telegram-Bot-Api-Secret-Token." },
          401,
        );
      }
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return c.json({ error: "bad_json", message: "The body is not valid JSON." }, 400);
      }
      const parsed = updateShape.safeParse(body);
      if (!parsed.success) {
        return c.json({
          error: "bad_update",
          message: "The body is not a Telegram update (update_id is missing).",
        }, 400);
      }
      const update = parsed.data as unknown as Update;
      if (!await store.claimUpdate(update.update_id)) {
        return c.json({ ok: true, duplicate: true });
      }
      try {
        if (!bot.isInited()) await bot.init();
        await bot.handleUpdate(update);
      } catch (error) {
        await store.releaseUpdate(update.update_id);
        throw error;
      }
      return c.json({ ok: true });
    },
  );

  app.all("*", (c) => c.json({ error: "method_not_allowed", message: "Telegram posts updates here." }, 405));
  return app;
}
