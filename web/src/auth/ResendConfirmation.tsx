import { useState } from "react";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { authErrorSentence } from "./auth-errors.ts";
import { confirmationRedirectUrl } from "./redirects.ts";

/** Sends the sign-up confirmation e-mail again. */
export function ResendConfirmation({ email }: { email: string }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<
    { kind: "success" | "error"; text: string }
  >();

  const resend = async () => {
    setBusy(true);
    setResult(undefined);
    const { error } = await supabase.auth.resend({
      type: "signup",
      email,
      options: { emailRedirectTo: confirmationRedirectUrl() },
    });
    setBusy(false);
    setResult(
      error
        ? { kind: "error", text: authErrorSentence(error) }
        : { kind: "success", text: `We sent the link to ${email} again.` },
    );
  };

  return (
    <div className="resend">
      <button type="button" onClick={resend} disabled={busy || email === ""}>
        {busy ? "Sending…" : "Send the e-mail again"}
      </button>
      {result && <Alert kind={result.kind}>{result.text}</Alert>}
    </div>
  );
}
