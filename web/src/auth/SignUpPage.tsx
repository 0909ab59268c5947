import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { displayNameError } from "../errors/display-name.ts";
import { Field } from "../ui/Field.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { useAction } from "../ui/use-action.ts";
import { authData } from "./auth-errors.ts";
import { PASSWORD_RULES, passwordIsAcceptable } from "./password-rules.ts";
import { browserTimeZone, confirmationRedirectUrl } from "./redirects.ts";

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function SignUpPage() {
  const { t } = useTranslation();
  usePageTitle(t("Sign up"));
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const { busy, message: error, run } = useAction();

  const emailError = EMAIL_PATTERN.test(email.trim())
    ? undefined
    : t("Enter your e-mail address, e.g. ada@example.com.");
  const passwordOk = passwordIsAcceptable(password);
  const nameError = displayNameError(displayName);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (emailError || !passwordOk || nameError) return;
    await run(async () => {
      authData(
        await supabase.auth.signUp({
          email: email.trim(),
          password,
          options: {
            emailRedirectTo: confirmationRedirectUrl(),
            data: {
              timezone: browserTimeZone(),
              display_name: displayName.trim() || undefined,
            },
          },
        }),
      );
      navigate(`/check-email?email=${encodeURIComponent(email.trim())}`);
    });
  };

  return (
    <section className="narrow">
      <h1>{t("Create your account")}</h1>
      <p>{t("Build habits one small step at a time, with reminders in Telegram.")}</p>
      <form
        onSubmit={submit}
        noValidate
        aria-describedby={error ? "sign-up-error" : undefined}
      >
        {error && <Alert kind={error.kind} id="sign-up-error">{error.text}</Alert>}
        <Field
          id="email"
          label={t("E-mail")}
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={submitted ? emailError : undefined}
        />
        <Field
          id="password"
          label={t("Password")}
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={submitted && !passwordOk ? t("The password does not meet every rule below.") : undefined}
          hint={
            <ul className="rules" aria-label={t("Password rules")}>
              {PASSWORD_RULES.map((rule) => {
                const met = rule.test(password);
                return (
                  <li key={rule.id} className={met ? "met" : "unmet"}>
                    <span aria-hidden="true">{met ? "✓" : "○"}</span> {t(rule.label)}
                    <span className="visually-hidden">
                      {met ? t(" (met)") : t(" (not met yet)")}
                    </span>
                  </li>
                );
              })}
            </ul>
          }
        />
        <Field
          id="display-name"
          label={t("Display name (optional)")}
          autoComplete="nickname"
          value={displayName}
          onChange={(event) => setDisplayName(event.target.value)}
          error={nameError}
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("Creating your account…") : t("Sign up")}
        </button>
      </form>
      <p>
        {t("Already have an account?")} <Link to="/sign-in">{t("Sign in")}</Link>
      </p>
    </section>
  );
}
