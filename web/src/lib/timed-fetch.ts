/**
 * The fetch the Supabase client uses for Auth, the Data API and the functions: every request has
 * a bound, so a server that never answers ends in "The server cannot be reached" instead of a
 * spinner forever. Realtime's websocket is not a fetch and keeps its own heartbeat.
 * This module imports nothing, so that Deno tests can load it as it is.
 */

/** How long a request to Auth or the Data API may take, its answer's body included. */
export const SERVER_TIMEOUT_MS = 15_000;

/** The functions take a file of up to 2 MiB (import) or send one back (export): more time. */
export const FUNCTION_TIMEOUT_MS = 60_000;

/**
 * Named AbortError, not TimeoutError: postgrest-js retries a read whose fetch failed with any
 * other error (three more times, 1 + 2 + 4 s apart), which would make the wait four bounds long.
 */
export function serverTimeoutError(timeoutMs: number): DOMException {
  return new DOMException(`The server did not answer within ${timeoutMs / 1000} s.`, "AbortError");
}

function urlOf(input: RequestInfo | URL): string {
  return input instanceof Request ? input.url : String(input);
}

/** The bound of a request: the functions' for `/functions/v1/`, the server's otherwise. */
export function timeoutFor(input: RequestInfo | URL): number {
  return new URL(urlOf(input), "http://localhost").pathname.startsWith("/functions/v1/")
    ? FUNCTION_TIMEOUT_MS
    : SERVER_TIMEOUT_MS;
}

/** A signal that aborts when either does, with that one's reason. */
export function eitherSignal(first: AbortSignal, second: AbortSignal): AbortSignal {
  if (typeof AbortSignal.any === "function") return AbortSignal.any([first, second]);
  const either = new AbortController();
  for (const signal of [first, second]) {
    if (signal.aborted) {
      either.abort(signal.reason);
      break;
    }
    signal.addEventListener("abort", () => either.abort(signal.reason), { once: true });
  }
  return either.signal;
}

/**
 * `fetch` aborted after `timeout(input)` ms with serverTimeoutError. The timer runs until the bound
 * even after the headers arrive, so a body that stops half-way is cut too; a caller's own signal
 * (in `init` or on a Request) still aborts the request at once, with the caller's reason.
 */
export function timedFetch(timeout: (input: RequestInfo | URL) => number = timeoutFor): typeof fetch {
  return (input, init) => {
    const timeoutMs = timeout(input);
    const bound = new AbortController();
    const timer = setTimeout(() => bound.abort(serverTimeoutError(timeoutMs)), timeoutMs);
    const callerSignal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    callerSignal?.addEventListener("abort", () => clearTimeout(timer), { once: true });
    const signal = callerSignal ? eitherSignal(callerSignal, bound.signal) : bound.signal;
    return fetch(input, { ...init, signal }).catch((error: unknown) => {
      clearTimeout(timer);
      throw error;
    });
  };
}
