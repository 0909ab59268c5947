import { useState } from "react";

export interface ActionMessage {
  kind: "success" | "error" | "info";
  text: string;
  /** Lines shown under the sentence, e.g. an import's report. */
  details?: readonly string[];
  /** What was thrown, for pages that say more about some failures (an error code, a session that ended). */
  cause?: unknown;
}

/**
 * The one home of a button's or form's work: busy while it runs, then the sentence it returns (a
 * success, or a message of its own kind) or the message of what it throws, which is already a
 * sentence for the user. `fail` shows an error without running anything (a check before sending).
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<ActionMessage>();
  const run = async (work: () => Promise<string | ActionMessage | void>) => {
    setBusy(true);
    setMessage(undefined);
    try {
      const result = await work();
      if (typeof result === "string") setMessage(result ? { kind: "success", text: result } : undefined);
      else setMessage(result ?? undefined);
    } catch (error) {
      setMessage({
        kind: "error",
        text: error instanceof Error ? error.message : String(error),
        cause: error,
      });
    } finally {
      setBusy(false);
    }
  };
  const fail = (text: string) => setMessage({ kind: "error", text });
  return { busy, message, run, fail };
}
