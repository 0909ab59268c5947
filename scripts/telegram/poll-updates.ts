/**
 * Local development without a public URL: long-polls Telegram's getUpdates and forwards each
 * update to the local telegram-webhook function, with the same secret header Telegram would send,
 * so one code path serves both. Removes any webhook first (Telegram allows only one of the two).
 *
 *   deno task telegram:poll      (reads .env; the devstack must be running)
 */
import { Api } from "grammy";
import { z } from "zod";

const settings = z.object({
  TELEGRAM_BOT_TOKEN: z.string().min(1),
  TELEGRAM_WEBHOOK_SECRET: z.string().min(1),
  TELEGRAM_API_ROOT: z.string().url().default("https://api.telegram.org"),
  SUPABASE_URL: z.string().url().default("http://127.0.0.1:54321"),
  POLL_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(50).default(30),
});

export type PollSettings = z.infer<typeof settings>;

/** Forwards updates until `signal` aborts. Returns how many updates were forwarded. */
export async function forwardUpdates(config: PollSettings, signal: AbortSignal): Promise<number> {
  const api = new Api(config.TELEGRAM_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT });
  const webhook = `${config.SUPABASE_URL.replace(/\/$/, "")}/functions/v1/telegram-webhook`;
  await api.deleteWebhook();
  let offset = 0;
  let forwarded = 0;
  while (!signal.aborted) {
    let updates;
    try {
      updates = await api.getUpdates({
        offset,
        timeout: config.POLL_TIMEOUT_SECONDS,
        allowed_updates: ["message", "callback_query"],
      }, signal);
    } catch (error) {
      if (signal.aborted) break;
      console.error("getUpdates failed, retrying in 3 s:", error instanceof Error ? error.message : error);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      continue;
    }
    for (const update of updates) {
      const response = await fetch(webhook, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Telegram-Bot-Api-Secret-Token": config.TELEGRAM_WEBHOOK_SECRET,
        },
        body: JSON.stringify(update),
      });
      await response.body?.cancel();
      if (!response.ok) {
        // Like Telegram: keep the update and try again on the next round.
        console.error(`webhook answered ${response.status} for update ${update.update_id}; will retry`);
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
  await forwardUpdates(parsed.data, stop.signal);
}
