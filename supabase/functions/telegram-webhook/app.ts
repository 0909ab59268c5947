import { type Context, Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type Bot, BotError, GrammyError, HttpError } from "grammy";
import type { Update } from "grammy/types";
import { timingSafeEqual } from "../_shared/secrets.ts";
import type { BotContext } from "./context.ts";
import { ReplyNotSentError } from "./reply-pacing.ts";
import type { WebhookStore } from "./store.ts";
import { validateUpdate } from "./update-shape.ts";

/** Telegram's updates are small; anything near this is not from Telegram. */
const MAX_UPDATE_BYTES = 256 * 1024;

export interface WebhookAppOptions {
  bot: Bot<BotContext>;
  store: WebhookStore;
  secret: string;
  /** How long one request may hold an update before a redelivery may handle it again. */
  updateLeaseSeconds: number;
}

/**
 * The webhook endpoint: checks Telegram's secret header, takes the update (recorded in the
 * database with a lease), hands it to grammY, and marks it handled only once that succeeded.
 * At-least-once: a request that dies at any point leaves the update unhandled, so Telegram's
 * redelivery is handled; the handlers are idempotent. Telegram refusing a reply (a 4xx, including
 * a 429 longer than the webhook waits) ends the update with its effects committed (redelivering
 * would fail the same way); Telegram unreachable or the database failing answers 503/500, so that
 * Telegram delivers the update again.
 */
export function createWebhookApp(options: WebhookAppOptions) {
  const app = new Hono();

  app.onError((error, c) => {
    console.error(
      "telegram-webhook: update not handled:",
      error instanceof Error ? error.message : error,
    );
    return c.json({
      error: "internal_error",
      message: "The update could not be handled.",
    }, 500);
  });

  app.post(
    "*",
    bodyLimit({
      maxSize: MAX_UPDATE_BYTES,
      onError: (c) =>
        c.json(
          {
            error: "payload_too_large",
            message: `Updates are limited to ${MAX_UPDATE_BYTES} bytes.`,
          },
          413,
        ),
    }),
    secretToken(options.secret),
    (c) => takeUpdate(c, options),
  );

  app.all(
    "*",
    (c) =>
      c.json({
        error: "method_not_allowed",
        message: "Telegram posts updates here.",
      }, 405),
  );
  return app;
}

/** Lets on only requests carrying Telegram's secret header (compared in constant time). */
function secretToken(secret: string): MiddlewareHandler {
  return async (c, next) => {
    if (
      !timingSafeEqual(
        c.req.header("X-Telegram-Bot-Api-Secret-Token") ?? "",
        secret,
      )
    ) {
      return c.json(
        {
          error: "unauthorized",
          message: "Wrong or missing X-Telegram-Bot-Api-Secret-Token.",
        },
        401,
      );
    }
    await next();
  };
}

/** Checks the update, takes it with a lease, and has grammY handle it. */
async function takeUpdate(
  c: Context,
  { bot, store, updateLeaseSeconds }: WebhookAppOptions,
): Promise<Response> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return c.json(
      { error: "bad_json", message: "The body is not valid JSON." },
      400,
    );
  }
  const checked = validateUpdate(body);
  if (checked.kind === "not_an_update") {
    return c.json({ error: "bad_update", message: checked.problem }, 400);
  }
  if (checked.kind === "out_of_range") {
    // An update with an id but fields outside Telegram's ranges: acknowledged, never sent
    // to SQL. Answering an error would only make Telegram deliver it again and again.
    console.error(
      `telegram-webhook: update ${checked.updateId} ignored: ${checked.problem}`,
    );
    return c.json({
      ok: true,
      ignored: "out_of_range",
      message: checked.problem,
    });
  }
  const update = checked.update as unknown as Update;
  const state = await store.beginUpdate(update.update_id, updateLeaseSeconds);
  if (state === "handled") return c.json({ ok: true, duplicate: true });
  if (state === "in_progress") {
    return c.json({
      error: "update_in_progress",
      message: "This update is being handled right now; deliver it again later.",
    }, 503);
  }
  try {
    await bot.handleUpdate(update);
  } catch (error) {
    return await updateFailed(
      c,
      store,
      update.update_id,
      error instanceof BotError ? error.error : error,
    );
  }
  await store.finishUpdate(update.update_id);
  return c.json({ ok: true });
}

/** Ends an update whose handling threw: done when Telegram refused for good, else released. */
async function updateFailed(
  c: Context,
  store: WebhookStore,
  updateId: number,
  cause: unknown,
): Promise<Response> {
  // Telegram refused a reply for good (4xx), or its 429 lasts beyond the webhook's bound,
  // or the chat has no free slot soon: the update's effects are committed and stand; the
  // reply is dropped with one log line. Failing the update would only bring the same
  // refusal back with each redelivery and hold up the chat's later updates.
  if (
    cause instanceof ReplyNotSentError ||
    (cause instanceof GrammyError && cause.error_code >= 400 &&
      cause.error_code < 500)
  ) {
    console.error(
      `telegram-webhook: update ${updateId}: ` +
        (cause instanceof ReplyNotSentError
          ? cause.message
          : `Telegram refused ${cause.method}: ${cause.error_code} ${cause.description}`) +
        "; the reply is dropped, the update's effects stand",
    );
    const blockedChat = chatThatBlockedTheBot(cause);
    if (blockedChat !== null) await store.markChatBlocked(blockedChat);
    await store.finishUpdate(updateId);
    return c.json({ ok: true, undeliverable: true });
  }
  await store.releaseUpdate(updateId).catch(() => {});
  if (cause instanceof HttpError || cause instanceof GrammyError) {
    console.error(
      `telegram-webhook: update ${updateId} not handled, Telegram will deliver it again: ` +
        (cause instanceof HttpError
          ? `the Bot API did not answer (${describe(cause.error)})`
          : cause.message),
    );
    return c.json({
      error: "telegram_unavailable",
      message: "The Bot API did not answer; deliver the update again later.",
    }, 503);
  }
  throw cause;
}

/**
 * The chat a 403 refused a call to: the person blocked the bot (or the chat is gone). It is
 * unlinked as a reminder's 403 unlinks it (private.mark_telegram_chat_blocked).
 */
function chatThatBlockedTheBot(cause: unknown): number | null {
  if (!(cause instanceof GrammyError) || cause.error_code !== 403) return null;
  const chatId = Number(cause.payload.chat_id);
  return Number.isSafeInteger(chatId) && chatId > 0 ? chatId : null;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
