import { useEffect, useSyncExternalStore } from "react";

/**
 * Which pages show saved data instead of a fresh answer, and since when: the frame shows ONE
 * notice for all of them (issue 23: not one per page stacked on the frame's own).
 */
const shown = new Map<symbol, string>();
const listeners = new Set<() => void>();

function emit() {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The oldest load shown on screen now (ISO 8601), or undefined when everything is fresh. */
function oldestShown(): string | undefined {
  let oldest: string | undefined;
  for (const savedAt of shown.values()) if (oldest === undefined || savedAt < oldest) oldest = savedAt;
  return oldest;
}

/** Registers that this component shows data loaded at `savedAt` (undefined: fresh data). */
export function useShowingSaved(savedAt: string | undefined): void {
  useEffect(() => {
    if (!savedAt) return;
    const id = Symbol("saved");
    shown.set(id, savedAt);
    emit();
    return () => {
      shown.delete(id);
      emit();
    };
  }, [savedAt]);
}

/** For the frame's notice: the oldest saved load on screen, if any. */
export function useOldestSavedShown(): string | undefined {
  return useSyncExternalStore(subscribe, oldestShown, () => undefined);
}
