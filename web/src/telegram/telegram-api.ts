import { unwrap } from "../lib/data-error.ts";
import { supabase } from "../lib/supabase.ts";

export interface LinkCode {
  code: string;
  expiresAt: string;
  /** t.me deep link, or null when the bot's username is not configured on the server. */
  deepLink: string | null;
}

/** A fresh one-time code (15 minutes, at most 5 an hour) for linking a Telegram chat. */
export async function createLinkCode(): Promise<LinkCode> {
  const rows = unwrap(await supabase.rpc("create_telegram_link_code"));
  const row = rows[0];
  if (!row) throw new Error("The server returned no link code. Try again.");
  return {
    code: row.code,
    expiresAt: row.expires_at,
    deepLink: row.deep_link ?? null,
  };
}

/** Disconnects the signed-in user's Telegram chat (as /stop does from Telegram). */
export async function disconnectTelegram(): Promise<void> {
  unwrap(await supabase.rpc("disconnect_telegram"));
}
