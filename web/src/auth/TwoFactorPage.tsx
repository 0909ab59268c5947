import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation, useNavigate } from "react-router";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { authErrorSentence } from "./auth-errors.ts";
import { useSession } from "./session.tsx";

/** The second step of signing in when two-factor sign-in is on: the authenticator app's code. */
export function TwoFactorPage() {
  const { t } = useTranslation();
  usePageTitle(t("Two-factor sign-in"));
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? "/";
  const { session, loading, needsSecondFactor } = useSession();
  const [factorId, setFactorId] = useState<string>();
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!needsSecondFactor) return;
    supabase.auth.mfa.listFactors().then(({ data, error: listError }) => {
      if (listError) setError(authErrorSentence(listError));
      else setFactorId(data.totp[0]?.id);
    });
  }, [needsSecondFactor]);

  if (loading) return <Loading />;
  if (!session) return <Navigate to="/sign-in" replace />;
  if (!needsSecondFactor && !busy) return <Navigate to={from} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!factorId) return;
    if (!/^\d{6}$/.test(code.trim())) {
      setError(t("Enter the 6-digit code from your authenticator app."));
      return;
    }
    setBusy(true);
    setError(undefined);
    const { error: verifyError } = await supabase.auth.mfa.challengeAndVerify({
      factorId,
      code: code.trim(),
    });
    setBusy(false);
    if (verifyError) {
      setError(authErrorSentence(verifyError));
      return;
    }
    navigate(from, { replace: true });
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
