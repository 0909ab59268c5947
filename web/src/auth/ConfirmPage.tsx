import { useTranslation } from "react-i18next";
import { Link, Navigate } from "react-router";
import { Alert } from "../ui/Alert.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { useQuery } from "../ui/use-query.ts";
import { completeLandingOnce } from "./confirmation-landing.ts";
import { CheckEmailPage } from "./CheckEmailPage.tsx";
import { useSession } from "./session.tsx";

/** Where the confirmation e-mail's link lands (/auth/confirm). */
export function ConfirmPage() {
  const { t } = useTranslation();
  usePageTitle(t("Confirming your e-mail"));
  const { data: outcome } = useQuery(() => completeLandingOnce(globalThis.location.href), []);

  if (!outcome) return <Loading label={t("Confirming your e-mail…")} />;
  if (outcome.kind === "signed_in") return <Navigate to="/" replace state={{ welcome: true }} />;
  if (outcome.kind === "partial") {
    return (
      <section className="narrow">
        <h1>{t("Check your other inbox")}</h1>
        <Alert kind="info">{t(outcome.message)}</Alert>
      </section>
    );
  }
  if (outcome.kind === "confirmed_elsewhere") {
    return (
      <section className="narrow">
        <h1>{t("E-mail confirmed")}</h1>
        <Alert kind="success">{t(outcome.message)}</Alert>
        <p className="actions">
          <Link to="/sign-in" className="button primary">{t("Sign in")}</Link>{" "}
          <Link to="/sign-in/email" className="button">{t("Sign in with a code from e-mail")}</Link>
        </p>
      </section>
    );
  }
  if (outcome.kind === "not_started_here") return <LinkNotStartedHere message={outcome.message} />;
  return (
    <>
      <section className="narrow">
        <h1>{t("The link did not work")}</h1>
        <Alert kind="error">{t(outcome.message)}</Alert>
      </section>
      <CheckEmailPage />
    </>
  );
}

/** A link carrying someone's tokens: refused, with the way on from here. */
function LinkNotStartedHere({ message }: { message: string }) {
  const { t } = useTranslation();
  const { session } = useSession();
  return (
    <section className="narrow">
      <h1>{t("This link cannot sign you in here")}</h1>
      <Alert kind="error">{t(message)}</Alert>
      <p>
        {t("Open links only from e-mails you asked for, in the browser where you asked for them.")}
      </p>
      <p>
        {session
          ? (
            <Link to="/" className="button primary">
              {t("Continue as {{email}}", { email: session.user.email })}
            </Link>
          )
          : <Link to="/sign-in" className="button primary">{t("Sign in")}</Link>}
      </p>
    </section>
  );
}
