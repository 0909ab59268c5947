import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { authData } from "./auth-errors.ts";
import { CodeEntry } from "./CodeEntry.tsx";
import { EmailRequestForm } from "./EmailRequestForm.tsx";
import { resetPasswordRedirectUrl } from "./redirects.ts";

/** "Forgot password?": mails a reset link (and code) that leads to the new-password page. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  usePageTitle(t("Reset your password"));
  const navigate = useNavigate();
  const [sentTo, setSentTo] = useState<string>();

  const send = async (address: string) => {
    authData(await supabase.auth.resetPasswordForEmail(address, { redirectTo: resetPasswordRedirectUrl() }));
    setSentTo(address);
  };

  return (
    <section className="narrow">
      <h1>{t("Reset your password")}</h1>
      {sentTo
        ? (
          <>
            <Alert kind="success">
              {t(
                "If an account uses {{email}}, we sent it a link to choose a new password. Open it on this device.",
                {
                  email: sentTo,
                },
              )}
            </Alert>
            <CodeEntry
              email={sentTo}
              type="recovery"
              onVerified={() => navigate("/auth/reset-password", { replace: true })}
            />
            <p>
              <button type="button" onClick={() => setSentTo(undefined)}>{t("Use another address")}</button>
            </p>
          </>
        )
        : <EmailRequestForm submitLabel={t("Send me a reset link")} send={send} />}
      <p>
        {t("Remembered it?")} <Link to="/sign-in">{t("Sign in")}</Link>
      </p>
    </section>
  );
}
