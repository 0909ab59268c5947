import { type DependencyList, useCallback, useEffect, useState } from "react";
import { msg, translate } from "../i18n/i18n.ts";
import { type LastLoaded, readLastLoaded, saveLastLoaded } from "../offline/last-loaded.ts";
import { useShowingSaved } from "../offline/saved-notice.ts";

export interface QueryState<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  /** Set when `data` is the saved answer (offline, or the server could not be reached). */
  savedAt?: string | undefined;
  reload: () => void;
}

export interface QueryOptions<T = unknown> {
  /**
   * Keep the last answer on this device under this key (include the user's id) and show it when
   * offline at once, or when loading fails; the frame then says since when (saved-notice.ts).
   */
  savedAs?: string;
  /**
   * The load reads the server and keeps nothing: offline it fails at once with the "not loaded on
   * this device" sentence (not after supabase-js's 7 s of retries) and runs again once online.
   */
  readsServer?: boolean;
  /**
   * With `readsServer`: where a saved answer of this load is found (kept by other queries), shown
   * like `savedAs`'s when offline (`failure` undefined) or when the load fails.
   */
  savedIn?: (failure?: unknown) => LastLoaded<T> | undefined;
}

const NOT_SAVED = msg("You are offline, and this was not loaded on this device yet. Connect and try again.");

/**
 * Runs `load` when `deps` change and keeps the latest result; results of superseded runs are
 * dropped. `load` throws an Error whose message is already a sentence for the user. With
 * `savedAs`, an offline browser is not asked to wait for the network (supabase-js retries a
 * failed read for 7 s): the saved answer shows at once, and the query runs again when the
 * browser is back online.
 */
export function useQuery<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  options: QueryOptions<T> = {},
): QueryState<T> {
  const { savedAs, readsServer = false, savedIn } = options;
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [savedAt, setSavedAt] = useState<string>();
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  useShowingSaved(savedAt);

  useEffect(() => {
    let current = true;
    const showSaved = (fallback: string, failure?: unknown) => {
      const saved = savedAs ? readLastLoaded<T>(savedAs) : savedIn?.(failure);
      if (saved) setData(saved.data);
      setSavedAt(saved?.savedAt);
      setError(saved ? undefined : fallback);
      setLoading(false);
    };
    setLoading(true);
    if ((savedAs || readsServer) && navigator.onLine === false) {
      showSaved(translate(NOT_SAVED));
      return;
    }
    load().then(
      (result) => {
        if (!current) return;
        if (savedAs) saveLastLoaded(savedAs, result);
        setData(result);
        setSavedAt(undefined);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!current) return;
        showSaved(failure instanceof Error ? failure.message : String(failure), failure);
      },
    );
    return () => {
      current = false;
    };
  }, [...deps, savedAs, readsServer, generation]);

  useEffect(() => {
    if (!savedAs && !readsServer) return;
    globalThis.addEventListener("online", reload);
    return () => globalThis.removeEventListener("online", reload);
  }, [savedAs, readsServer, reload]);

  return { data, error, loading, savedAt, reload };
}
