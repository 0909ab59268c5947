import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { Field } from "../ui/Field.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { CodeEntry } from "./CodeEntry.tsx";
import { ResendConfirmation } from "./ResendConfirmation.tsx";

export function CheckEmailPage() {
  const { t } = useTranslation();
  usePageTitle(t("Check your e-mail"));
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState(search.get("email") ?? "");
  const knownEmail = search.get("email");

  return (
    <section className="narrow">
      <h1>{t("Check your e-mail")}</h1>
      <p>
        {knownEmail
          ? t("We sent a confirmation link to {{email}}. Open it on this device to finish signing up.", {
            email: knownEmail,
          })
          : t("We sent you a confirmation link. Open it on this device to finish signing up.")}
      </p>
      <p className="hint">
        {t("No e-mail after a few minutes? Look in your spam folder, or send it again.")}
      </p>
      {!knownEmail && (
        <Field
          id="resend-email"
          label={t("Your e-mail")}
          type="email"
          autoComplete="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
      )}
      {knownEmail && (
        <CodeEntry
          email={knownEmail}
          type="email"
          onVerified={() => navigate("/", { replace: true, state: { welcome: true } })}
        />
      )}
      <ResendConfirmation email={email.trim()} />
      <p>
        {t("Already confirmed?")} <Link to="/sign-in">{t("Sign in")}</Link>
      </p>
    </section>
  );
}
