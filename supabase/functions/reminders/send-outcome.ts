import { TelegramApiError, TelegramUnreachableError } from "../_shared/telegram.ts";
import type { DeliveryOutcome } from "./store.ts";

/** What a failed send means for the message; `blocked` when the chat blocked the bot (403). */
export type SendFailure = DeliveryOutcome & { blocked?: boolean };

/** What a failed sendMessage means for the message. */
export function classifySendError(error: unknown): SendFailure {
  if (error instanceof TelegramApiError) {
    const description = `${error.code}: ${error.description}`;
    if (error.code === 429) {
      return {
        outcome: "rate_limited",
        error: description,
        retryAfterSeconds: error.retryAfterSeconds ?? 1,
      };
    }
    if (error.code === 403) {
      return { outcome: "dead", error: description, blocked: true };
    }
    if (error.code >= 500) return { outcome: "retry", error: description };
    return { outcome: "dead", error: description };
  }
  if (error instanceof TelegramUnreachableError) {
    // The request may have arrived and Telegram may have delivered it. Retried: at-least-once.
    if (error.kind !== "refused") {
      return { outcome: "uncertain", error: error.message };
    }
    return { outcome: "retry", error: error.message };
  }
  return {
    outcome: "retry",
    error: error instanceof Error ? error.message : String(error),
  };
}
