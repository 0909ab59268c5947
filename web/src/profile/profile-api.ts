import type { Profile } from "../lib/database.ts";
import { unwrap } from "../lib/data-error.ts";
import { supabase } from "../lib/supabase.ts";

export async function fetchProfile(userId: string): Promise<Profile> {
  return unwrap(
    await supabase.from("profiles").select("*").eq("id", userId).single(),
  );
}

export async function updateProfile(
  userId: string,
  changes: Partial<Pick<Profile, "display_name" | "timezone" | "language" | "time_format">>,
): Promise<Profile> {
  return unwrap(
    await supabase.from("profiles").update(changes).eq("id", userId).select()
      .single(),
  );
}

export type TelegramStatus = "linked" | "blocked" | "not_linked";

/** Linked: a chat is set. Blocked: the bot was blocked (Telegram answered 403), which unlinked it. */
export function telegramStatusOf(
  profile: Pick<Profile, "telegram_chat_id" | "telegram_blocked_at">,
): TelegramStatus {
  if (profile.telegram_chat_id !== null) return "linked";
  return profile.telegram_blocked_at !== null ? "blocked" : "not_linked";
}
