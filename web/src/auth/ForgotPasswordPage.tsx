import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { authErrorSentence } from "./auth-errors.ts";
import { CodeEntry } from "./CodeEntry.tsx";
import { resetPasswordRedirectUrl } from "./redirects.ts";

/** "Forgot password?": mails a reset link (and code) that leads to the new-password page. */
export function ForgotPasswordPage() {
  usePageTitle("Reset your password");
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [sentTo, setSentTo] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    if (!address.includes("@")) {
      setError("Enter the e-mail address of your account.");
      return;
    }
    setBusy(true);
    setError(undefined);
    const { error: sendError } = await supabase.auth.resetPasswordForEmail(
      address,
      {
        redirectTo: resetPasswordRedirectUrl(),
      },
    );
    setBusy(false);
    if (sendError) setError(authErrorSentence(sendError));
    else setSentTo(address);
  };

  return (
    <section className="narrow">
      <h1>Reset your password</h1>
      {sentTo
        ? (
          <>
            <Alert kind="success">
              If an account uses {sentTo}, we sent it a link to choose a new password. Open it on this device.
            </Alert>
            <CodeEntry
              email={sentTo}
              type="recovery"
              onVerified={() => navigate("/auth/reset-password", { replace: true })}
            />
            <p>
              <button type="button" onClick={() => setSentTo(undefined)}>
                Use another address
              </button>
            </p>
          </>
        )
        : (
          <form onSubmit={submit} noValidate>
            {error && <Alert kind="error">{error}</Alert>}
            <Field
              id="email"
              label="E-mail"
              type="email"
              autoComplete="email"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
            <button type="submit" className="primary" disabled={busy}>
              {busy ? "Sending…" : "Send me a reset link"}
            </button>
          </form>
        )}
      <p>
        Remembered it? <Link to="/sign-in">Sign in</Link>.
      </p>
    </section>
  );
}
