import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation, useNavigate } from "react-router";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { useAction } from "../ui/use-action.ts";
import { useQuery } from "../ui/use-query.ts";
import { authData } from "./auth-errors.ts";
import { useSession } from "./session.tsx";

/** The second step of signing in when two-factor sign-in is on: the authenticator app's code. */
export function TwoFactorPage() {
  const { t } = useTranslation();
  usePageTitle(t("Two-factor sign-in"));
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? "/";
  const { session, loading, needsSecondFactor } = useSession();
  const factors = useQuery(
    async () => needsSecondFactor ? authData(await supabase.auth.mfa.listFactors()).totp[0]?.id : undefined,
    [needsSecondFactor],
  );
  const factorId = factors.data;
  const [code, setCode] = useState("");
  const { busy, message, run, fail } = useAction();
  const error = message?.text ?? factors.error;

  if (loading) return <Loading />;
  if (!session) return <Navigate to="/sign-in" replace />;
  if (!needsSecondFactor && !busy) return <Navigate to={from} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!factorId) return;
    if (!/^\d{6}$/.test(code.trim())) return fail(t("Enter the 6-digit code from your authenticator app."));
    await run(async () => {
      authData(await supabase.auth.mfa.challengeAndVerify({ factorId, code: code.trim() }));
      navigate(from, { replace: true });
    });
  };

  return (
    <section className="narrow">
      <h1>{t("Two-factor sign-in")}</h1>
      <p>{t("Open your authenticator app and enter the code it shows for Habits.")}</p>
      <form onSubmit={submit} noValidate>
        {error && <Alert kind="error">{error}</Alert>}
        <Field
          id="totp-code"
          label={t("Authenticator code")}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={code}
          onChange={(event) => setCode(event.target.value)}
        />
        <button type="submit" className="primary" disabled={busy || !factorId}>
          {busy ? t("Checking…") : t("Continue")}
        </button>
      </form>
      <p>
        <button
          type="button"
          onClick={() => supabase.auth.signOut({ scope: "local" })}
        >
          {t("Cancel and sign out")}
        </button>
      </p>
    </section>
  );
}
