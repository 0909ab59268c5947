import { msg, translate } from "../i18n/i18n.ts";

/** What a change that cannot reach the server is told (errors/error-messages.ts says the same). */
const UNREACHABLE = msg("The server cannot be reached. Check your connection and try again.");

/**
 * Refuses a change at once while the browser is offline, with the sentence it would get after
 * trying (not after supabase-js's retries); the form keeps what was typed.
 */
export function requireConnection(): void {
  if (navigator.onLine === false) throw new Error(translate(UNREACHABLE));
}
