import { useEffect } from "react";
import { useUserId } from "../auth/session.tsx";
import type { Profile } from "../lib/database.ts";
import { type QueryState, useQuery } from "../ui/use-query.ts";
import { fetchProfile } from "./profile-api.ts";

/** The signed-in user's profile; re-read every `pollMs` milliseconds when given. */
export function useProfile(pollMs?: number): QueryState<Profile> {
  const userId = useUserId();
  const query = useQuery(() => fetchProfile(userId), [userId]);
  const { reload } = query;
  useEffect(() => {
    if (!pollMs) return;
    const timer = setInterval(reload, pollMs);
    return () => clearInterval(timer);
  }, [pollMs, reload]);
  return query;
}
