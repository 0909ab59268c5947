import type { Factor } from "@supabase/supabase-js";
import { QrCode as QRCodeSVG } from "../ui/QrCode.tsx";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { authData } from "../auth/auth-errors.ts";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";
import { useAction } from "../ui/use-action.ts";
import { useQuery } from "../ui/use-query.ts";

interface Enrolment {
  id: string;
  uri: string;
  secret: string;
}

/** Optional TOTP two-factor sign-in: QR code, first code to turn it on, turning it off. */
export function TwoFactorSettings() {
  const { t } = useTranslation();
  const factors = useQuery(async () => authData(await supabase.auth.mfa.listFactors()).totp[0] ?? null, []);
  const factor: Factor | null | undefined = factors.data;
  const [enrolment, setEnrolment] = useState<Enrolment>();
  const [code, setCode] = useState("");
  const { busy, message, run, fail } = useAction();

  const start = () =>
    run(async () => {
      // A setup left half-way would block a new one: unverified factors go first.
      const { data: listed } = await supabase.auth.mfa.listFactors();
      for (
        const stale of listed?.all.filter((f) => f.status === "unverified") ?? []
      ) {
        await supabase.auth.mfa.unenroll({ factorId: stale.id });
      }
      const data = authData(await supabase.auth.mfa.enroll({ factorType: "totp" }));
      setEnrolment({ id: data.id, uri: data.totp.uri, secret: data.totp.secret });
    });

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!enrolment) return;
    if (!/^\d{6}$/.test(code.trim())) return fail(t("Enter the 6-digit code the app shows."));
    await run(async () => {
      authData(await supabase.auth.mfa.challengeAndVerify({ factorId: enrolment.id, code: code.trim() }));
      setEnrolment(undefined);
      setCode("");
      factors.reload();
      return t("Two-factor sign-in is on. We will ask for a code when you sign in.");
    });
  };

  const turnOff = () =>
    run(async () => {
      if (!factor) return;
      authData(await supabase.auth.mfa.unenroll({ factorId: factor.id }));
      // The session still says aal2; a refresh brings it in line with the account.
      await supabase.auth.refreshSession();
      factors.reload();
      return t("Two-factor sign-in is off.");
    });

  return (
    <section aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">{t("Two-factor sign-in")}</h2>
      {factors.error && <Alert kind="error">{factors.error}</Alert>}
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {factor === undefined && <p>{t("Checking…")}</p>}
      {factor && factor.status === "verified" && (
        <>
          <p>{t("On: signing in asks for a code from your authenticator app.")}</p>
          <button type="button" onClick={turnOff} disabled={busy}>
            {t("Turn off two-factor sign-in")}
          </button>
        </>
      )}
      {factor === null && !enrolment && (
        <>
          <p>
            {t("Off. With it on, signing in also asks for a code from an authenticator app.")}
          </p>
          <button type="button" onClick={start} disabled={busy}>
            {t("Set up two-factor sign-in")}
          </button>
        </>
      )}
      {enrolment && (
        <form onSubmit={confirm} noValidate>
          <p>
            {t("Scan this code with your authenticator app, then enter the code it shows.")}
          </p>
          <QRCodeSVG
            value={enrolment.uri}
            size={192}
            marginSize={2}
            title={t("QR code for your authenticator app")}
          />
          <p className="hint">
            {t("Cannot scan? Enter this key in the app:")}{" "}
            <code data-testid="totp-secret">{enrolment.secret}</code>
          </p>
          <Field
            id="totp-setup-code"
            label={t("Code from the app")}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onChange={(event) => setCode(event.target.value)}
          />
          <button type="submit" className="primary" disabled={busy}>
            {t("Turn on")}
          </button>
        </form>
      )}
    </section>
  );
}
