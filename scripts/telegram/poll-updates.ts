/**
 * Local development without a public URL: long-polls Telegram's getUpdates and forwards each
 * update to the local telegram-webhook function, with the same secret header Telegram would send,
 * so one code path serves both. Removes any webhook first (Telegram allows only one of the two).
 * Every call has a deadline; an unreachable Telegram is reported in one line.
 *
 *   deno task telegram:poll      (reads .env; the devstack must be running)
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import { z } from "zod";
import { callBotApi, type TelegramSettings } from "../../supabase/functions/_shared/telegram.ts";
import { BOT_UPDATE_KINDS } from "../../supabase/functions/_shared/telegram-update-kinds.ts";

const settings = z.object({
  TELEGRAM_BOT_TOKEN: z.string().min(1),
  TELEGRAM_WEBHOOK_SECRET: z.string().min(1),
  TELEGRAM_API_ROOT: z.string().url().default("https://api.telegram.org"),
  SUPABASE_URL: z.string().url().default("http://127.0.0.1:54321"),
  POLL_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(50).default(30),
});

export type PollSettings = z.infer<typeof settings>;

/** How long the local webhook may take to answer one forwarded update. */
const FORWARD_TIMEOUT_MS = 30_000;

/** One line saying what went wrong, without a stack trace. */
export function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Forwards updates until `signal` aborts. Returns how many updates were forwarded. */
export async function forwardUpdates(config: PollSettings, signal: AbortSignal): Promise<number> {
  const telegram: TelegramSettings = {
    token: config.TELEGRAM_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    timeoutSeconds: 10,
  };
  // A long poll is answered after up to POLL_TIMEOUT_SECONDS; allow ten more for the network.
  const polling = { ...telegram, timeoutSeconds: config.POLL_TIMEOUT_SECONDS + 10 };
  const webhook = `${config.SUPABASE_URL.replace(/\/$/, "")}/functions/v1/telegram-webhook`;
  await callBotApi(telegram, "deleteWebhook", {}, signal);
  let offset = 0;
  let forwarded = 0;
  while (!signal.aborted) {
    let updates: { update_id: number }[];
    try {
      updates = await callBotApi(polling, "getUpdates", {
        offset,
        timeout: config.POLL_TIMEOUT_SECONDS,
        allowed_updates: BOT_UPDATE_KINDS,
      }, signal);
    } catch (error) {
      if (signal.aborted) break;
      console.error(`telegram:poll: getUpdates failed (${describeFailure(error)}); retrying in 3 s`);
      await sleep(3000);
      continue;
    }
    for (const update of updates) {
      let status: number;
      try {
        const response = await fetch(webhook, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": config.TELEGRAM_WEBHOOK_SECRET,
          },
          body: JSON.stringify(update),
          signal: AbortSignal.any([signal, AbortSignal.timeout(FORWARD_TIMEOUT_MS)]),
        });
        await response.body?.cancel();
        status = response.status;
      } catch (error) {
        if (signal.aborted) break;
        console.error(
          `telegram:poll: the webhook at ${webhook} did not answer (${describeFailure(error)}); will retry`,
        );
        break;
      }
      if (status < 200 || status >= 300) {
        // Like Telegram: keep the update and try again on the next round.
        console.error(`webhook answered ${status} for update ${update.update_id}; will retry`);
        break;
      }
      offset = update.update_id + 1;
      forwarded++;
    }
  }
  return forwarded;
}

if (import.meta.main) {
  const parsed = settings.safeParse(Deno.env.toObject());
  if (!parsed.success) {
    console.error(
      "Missing settings (see .env.sample):\n" +
        parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n"),
    );
    Deno.exit(2);
  }
  const stop = new AbortController();
  Deno.addSignalListener("SIGINT", () => stop.abort());
  console.log(
    `Forwarding Telegram updates to ${parsed.data.SUPABASE_URL}/functions/v1/telegram-webhook (Ctrl-C stops).`,
  );
  try {
    await forwardUpdates(parsed.data, stop.signal);
  } catch (error) {
    console.error(
      `telegram:poll: Telegram is unreachable at ${parsed.data.TELEGRAM_API_ROOT}: ${describeFailure(error)}`,
    );
    Deno.exit(1);
  }
}
