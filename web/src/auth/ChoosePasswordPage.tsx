import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useNavigate } from "react-router";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { useAction } from "../ui/use-action.ts";
import { authData } from "./auth-errors.ts";
import { NewPasswordField, WEAK_PASSWORD_SENTENCE } from "./NewPasswordField.tsx";
import { passwordIsAcceptable } from "./password-rules.ts";
import { useSession } from "./session.tsx";

/**
 * "Choose your password", right after an address is confirmed for the first time: the database
 * cleared the password typed at sign-up, since whoever typed it may not own the address.
 */
export function ChoosePasswordPage() {
  const { t } = useTranslation();
  usePageTitle(t("Choose your password"));
  const navigate = useNavigate();
  const { session, loading, mustChoosePassword } = useSession();
  const [password, setPassword] = useState("");
  const [saved, setSaved] = useState(false);
  const { busy, message, run, fail } = useAction();

  // The session state reads the lifted request after the update; only then is Today open.
  useEffect(() => {
    if (saved && !mustChoosePassword) navigate("/", { replace: true, state: { welcome: true } });
  }, [saved, mustChoosePassword, navigate]);

  if (loading) return <Loading label={t("Checking your session…")} />;
  if (!session) return <Navigate to="/sign-in" replace />;
  if (!mustChoosePassword && !saved) return <Navigate to="/" replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!passwordIsAcceptable(password)) return fail(t(WEAK_PASSWORD_SENTENCE));
    await run(async () => {
      authData(await supabase.auth.updateUser({ password }));
      setSaved(true);
    });
  };

  return (
    <section className="narrow">
      <h1>{t("Choose your password")}</h1>
      <Alert kind="success">{t("Your e-mail {{email}} is confirmed.", { email: session.user.email })}</Alert>
      <p>
        {t(
          "Now choose the password you will sign in with. The one typed at sign-up no longer works: anyone can sign up with an address that is not theirs, so only the person who confirmed it sets the password.",
        )}
      </p>
      <form onSubmit={submit} noValidate>
        {message && <Alert kind={message.kind}>{message.text}</Alert>}
        <NewPasswordField id="new-password" value={password} onChange={setPassword} />
        <button type="submit" className="primary" disabled={busy || saved}>
          {busy || saved ? t("Saving…") : t("Save the password")}
        </button>
      </form>
    </section>
  );
}
