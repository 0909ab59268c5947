import { useState } from "react";

export interface ActionMessage {
  kind: "success" | "error";
  text: string;
}

/**
 * Runs a button's work: busy while it runs, then its success sentence (if it returns one) or its
 * error as a message.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<ActionMessage>();
  const run = async (work: () => Promise<string | undefined>) => {
    setBusy(true);
    setMessage(undefined);
    try {
      const text = await work();
      if (text) setMessage({ kind: "success", text });
    } catch (error) {
      setMessage({
        kind: "error",
        text: error instanceof Error ? error.message : String(error),
      });
    } finally {
      setBusy(false);
    }
  };
  return { busy, message, run };
}
