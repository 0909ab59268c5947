import { useUserId } from "../auth/session.tsx";
import { useLiveUpdates } from "../live/live-updates.ts";
import type { Profile } from "../lib/database.ts";
import { type QueryState, useQuery } from "../ui/use-query.ts";
import { fetchProfile } from "./profile-api.ts";

/** The signed-in user's profile, read again live when a Telegram chat is linked or unlinked. */
export function useProfile(): QueryState<Profile> {
  const userId = useUserId();
  const query = useQuery(() => fetchProfile(userId), [userId], { savedAs: `profile:${userId}` });
  useLiveUpdates(["telegram_link"], query.reload);
  return query;
}
