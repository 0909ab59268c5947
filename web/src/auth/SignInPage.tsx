import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useLocation, useNavigate } from "react-router";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { useAction } from "../ui/use-action.ts";
import { authData, AuthFailure } from "./auth-errors.ts";
import { ResendConfirmation } from "./ResendConfirmation.tsx";
import { useSession } from "./session.tsx";

export function SignInPage() {
  const { t } = useTranslation();
  usePageTitle(t("Sign in"));
  const navigate = useNavigate();
  const location = useLocation();
  const { session } = useSession();
  const state = location.state as { from?: string; notice?: string } | null;
  const from = state?.from ?? "/";
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, message: error, run, fail } = useAction();

  if (session && !busy) return <Navigate to={from} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (email.trim() === "" || password === "") return fail(t("Enter your e-mail and password."));
    await run(async () => {
      authData(await supabase.auth.signInWithPassword({ email: email.trim(), password }));
      navigate(from, { replace: true });
    });
  };
  const unconfirmed = error?.cause instanceof AuthFailure && error.cause.code === "email_not_confirmed";

  return (
    <section className="narrow">
      <h1>{t("Sign in")}</h1>
      {state?.notice && <Alert kind="success">{state.notice}</Alert>}
      <form onSubmit={submit} noValidate>
        {error && <Alert kind="error">{error.text}</Alert>}
        {unconfirmed && <ResendConfirmation email={email.trim()} />}
        <Field
          id="email"
          label={t("E-mail")}
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <Field
          id="password"
          label={t("Password")}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("Signing in…") : t("Sign in")}
        </button>
      </form>
      <p>
        <Link to="/forgot-password">{t("Forgot password?")}</Link>
      </p>
      <p>
        <Link to="/sign-in/email">{t("Sign in with an e-mailed link or code")}</Link>
      </p>
      <p>
        {t("New here?")} <Link to="/sign-up">{t("Create an account")}</Link>
      </p>
    </section>
  );
}
