import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { authErrorSentence } from "./auth-errors.ts";
import { CodeEntry } from "./CodeEntry.tsx";
import { confirmationRedirectUrl } from "./redirects.ts";

/** Sign in without a password: a magic link, or the code in the same e-mail. */
export function EmailCodeSignInPage() {
  usePageTitle("Sign in with an e-mail");
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
    const { error: sendError } = await supabase.auth.signInWithOtp({
      email: address,
      options: {
        shouldCreateUser: false,
        emailRedirectTo: confirmationRedirectUrl(),
      },
    });
    setBusy(false);
    if (sendError) setError(authErrorSentence(sendError));
    else setSentTo(address);
  };

  return (
    <section className="narrow">
      <h1>Sign in with an e-mail</h1>
      {sentTo
        ? (
          <>
            <Alert kind="success">
              We sent a sign-in link to {sentTo}. Open it on this device.
            </Alert>
            <CodeEntry
              email={sentTo}
              type="email"
              onVerified={() => navigate("/habits", { replace: true })}
            />
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
              {busy ? "Sending…" : "E-mail me a link and code"}
            </button>
          </form>
        )}
      <p>
        <Link to="/sign-in">Sign in with your password</Link> instead.
      </p>
    </section>
  );
}
