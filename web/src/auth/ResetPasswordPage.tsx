import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { useAction } from "../ui/use-action.ts";
import { useQuery } from "../ui/use-query.ts";
import { authData } from "./auth-errors.ts";
import { completeLandingOnce } from "./confirmation-landing.ts";
import { NewPasswordField, WEAK_PASSWORD_SENTENCE } from "./NewPasswordField.tsx";
import { passwordIsAcceptable } from "./password-rules.ts";
import { useSession } from "./session.tsx";

/** Completes the reset link this page was opened with, if any. */
async function openResetLink(): Promise<string | "done"> {
  const url = new URL(globalThis.location.href);
  const fromLink = url.searchParams.has("code") ||
    url.searchParams.has("error_code") || url.hash.length > 1;
  if (!fromLink) return "done";
  const outcome = await completeLandingOnce(url.href);
  history.replaceState(null, "", "/auth/reset-password");
  return outcome.kind === "signed_in" ? "done" : outcome.message;
}

/** Where the reset mail's link (or code) lands: "Choose a new password". */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  usePageTitle(t("Choose a new password"));
  const navigate = useNavigate();
  const { session, loading } = useSession();
  // "done", or the sentence saying why the link did not work.
  const { data: landing } = useQuery(openResetLink, []);
  const [password, setPassword] = useState("");
  const { busy, message, run, fail } = useAction();

  if (landing === undefined || loading) {
    return <Loading label={t("Opening the reset link…")} />;
  }
  if (landing !== "done" || !session) {
    return (
      <section className="narrow">
        <h1>{t("The link did not work")}</h1>
        <Alert kind="error">
          {landing !== "done" ? t(landing) : t("Open the link from the reset e-mail, or enter its code.")}
        </Alert>
        <p>
          <Link to="/forgot-password" className="button primary">
            {t("Send a new reset e-mail")}
          </Link>
        </p>
      </section>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!passwordIsAcceptable(password)) return fail(t(WEAK_PASSWORD_SENTENCE));
    await run(async () => {
      authData(await supabase.auth.updateUser({ password }));
      navigate("/", {
        replace: true,
        state: { saved: t("Your new password is saved.") },
      });
    });
  };

  return (
    <section className="narrow">
      <h1>{t("Choose a new password")}</h1>
      <p>{t("For {{email}}.", { email: session.user.email })}</p>
      <form onSubmit={submit} noValidate>
        {message && <Alert kind={message.kind}>{message.text}</Alert>}
        <NewPasswordField id="new-password" value={password} onChange={setPassword} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("Saving…") : t("Save the new password")}
        </button>
      </form>
    </section>
  );
}
