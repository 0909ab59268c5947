import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { authErrorSentence } from "./auth-errors.ts";
import { CodeEntry } from "./CodeEntry.tsx";
import { EmailRequestForm } from "./EmailRequestForm.tsx";
import { confirmationRedirectUrl } from "./redirects.ts";

/** Sign in without a password: a magic link, or the code in the same e-mail. */
export function EmailCodeSignInPage() {
  usePageTitle("Sign in with an e-mail");
  const navigate = useNavigate();
  const [sentTo, setSentTo] = useState<string>();

  const send = async (address: string) => {
    const { error } = await supabase.auth.signInWithOtp({
      email: address,
      options: { shouldCreateUser: false, emailRedirectTo: confirmationRedirectUrl() },
    });
    if (error) return authErrorSentence(error);
    setSentTo(address);
  };

  return (
    <section className="narrow">
      <h1>Sign in with an e-mail</h1>
      {sentTo
        ? (
          <>
            <Alert kind="success">We sent a sign-in link to {sentTo}. Open it on this device.</Alert>
            <CodeEntry
              email={sentTo}
              type="email"
              onVerified={() => navigate("/habits", { replace: true })}
            />
          </>
        )
        : <EmailRequestForm submitLabel="E-mail me a link and code" send={send} />}
      <p>
        <Link to="/sign-in">Sign in with your password</Link> instead.
      </p>
    </section>
  );
}
