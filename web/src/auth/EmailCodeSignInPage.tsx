import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { authData } from "./auth-errors.ts";
import { CodeEntry } from "./CodeEntry.tsx";
import { EmailRequestForm } from "./EmailRequestForm.tsx";
import { confirmationRedirectUrl } from "./redirects.ts";

/** Sign in without a password: a magic link, or the code in the same e-mail. */
export function EmailCodeSignInPage() {
  const { t } = useTranslation();
  usePageTitle(t("Sign in with an e-mail"));
  const navigate = useNavigate();
  const [sentTo, setSentTo] = useState<string>();

  const send = async (address: string) => {
    authData(
      await supabase.auth.signInWithOtp({
        email: address,
        options: { shouldCreateUser: false, emailRedirectTo: confirmationRedirectUrl() },
      }),
    );
    setSentTo(address);
  };

  return (
    <section className="narrow">
      <h1>{t("Sign in with an e-mail")}</h1>
      {sentTo
        ? (
          <>
            <Alert kind="success">
              {t("We sent a sign-in link to {{email}}. Open it on this device.", { email: sentTo })}
            </Alert>
            <CodeEntry
              email={sentTo}
              type="email"
              onVerified={() => navigate("/", { replace: true })}
            />
          </>
        )
        : <EmailRequestForm submitLabel={t("E-mail me a link and code")} send={send} />}
      <p>
        <Link to="/sign-in">{t("Sign in with your password instead")}</Link>
      </p>
    </section>
  );
}
