import type { RealtimeChannel } from "@supabase/supabase-js";
import { useEffect, useRef } from "react";
import { useUserId } from "../auth/session.tsx";
import { supabase } from "../lib/supabase.ts";

/**
 * What the database broadcasts on a person's private topic `user:<id>` (migration
 * 20261207160000_live_updates_over_realtime.sql): the changed table's name for row changes
 * (realtime.broadcast_changes), `telegram_link` when a chat is linked or unlinked.
 */
export type LiveEvent = "habits" | "habit_completions" | "notifications" | "telegram_link";

type Listener = { events: readonly LiveEvent[]; onChange: () => void };

/** One channel per signed-in person, shared by every screen that listens. */
let shared: { userId: string; channel: RealtimeChannel; listeners: Set<Listener> } | undefined;

function notify(listeners: Set<Listener>, event?: string) {
  for (const listener of listeners) {
    if (event === undefined || listener.events.includes(event as LiveEvent)) listener.onChange();
  }
}

function join(userId: string): NonNullable<typeof shared> {
  if (shared?.userId === userId) return shared;
  if (shared) void supabase.removeChannel(shared.channel);
  const listeners = new Set<Listener>();
  const channel = supabase.channel(`user:${userId}`, { config: { private: true } })
    .on("broadcast", { event: "*" }, ({ event }) => notify(listeners, event));
  shared = { userId, channel, listeners };
  let subscribedBefore = false;
  // The join must carry the person's token, not the anon key: private topics are checked by RLS.
  void supabase.realtime.setAuth().then(() => {
    channel.subscribe((status) => {
      // Every rejoin after the network or the server came back: what changed meanwhile was not
      // broadcast to this screen, so every listener reads again.
      if (status === "SUBSCRIBED") {
        if (subscribedBefore) notify(listeners);
        subscribedBefore = true;
      }
    });
  });
  return shared;
}

/**
 * Calls `onChange` whenever one of `events` is broadcast to the signed-in person, and after each
 * reconnection, so the screen reads its data again and stays live without polling.
 */
export function useLiveUpdates(events: readonly LiveEvent[], onChange: () => void): void {
  const userId = useUserId();
  const latest = useRef(onChange);
  latest.current = onChange;
  const key = events.join(",");
  useEffect(() => {
    const { listeners } = join(userId);
    const listener: Listener = { events, onChange: () => latest.current() };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, [userId, key]);
}

/** Leaves the person's channel (on sign-out). */
export async function leaveLiveUpdates(): Promise<void> {
  if (!shared) return;
  const { channel } = shared;
  shared = undefined;
  await supabase.removeChannel(channel);
}
