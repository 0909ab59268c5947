import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { authErrorSentence } from "../auth/auth-errors.ts";
import { NewPasswordField, WEAK_PASSWORD_SENTENCE } from "../auth/NewPasswordField.tsx";
import { passwordIsAcceptable } from "../auth/password-rules.ts";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";

/**
 * Changes the password. When Auth asks for reauthentication (secure_password_change), it mails a
 * code first and the form asks for it.
 */
export function ChangePassword() {
  const { t } = useTranslation();
  const [password, setPassword] = useState("");
  const [nonce, setNonce] = useState("");
  const [needsNonce, setNeedsNonce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<
    { kind: "success" | "error" | "info"; text: string }
  >();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!passwordIsAcceptable(password)) {
      setResult({
        kind: "error",
        text: t(WEAK_PASSWORD_SENTENCE),
      });
      return;
    }
    setBusy(true);
    setResult(undefined);
    const { error } = await supabase.auth.updateUser(
      needsNonce ? { password, nonce: nonce.trim() } : { password },
    );
    if (error?.code === "reauthentication_needed") {
      const sent = await supabase.auth.reauthenticate();
      setBusy(false);
      setNeedsNonce(!sent.error);
      setResult(
        sent.error
          ? { kind: "error", text: authErrorSentence(sent.error) }
          : { kind: "info", text: authErrorSentence(error) },
      );
      return;
    }
    setBusy(false);
    if (error) {
      setResult({ kind: "error", text: authErrorSentence(error) });
      return;
    }
    setPassword("");
    setNonce("");
    setNeedsNonce(false);
    setResult({ kind: "success", text: t("Your new password is saved.") });
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="change-password-title">
      <h2 id="change-password-title">{t("Password")}</h2>
      {result && <Alert kind={result.kind}>{result.text}</Alert>}
      <NewPasswordField id="change-password" value={password} onChange={setPassword} />
      {needsNonce && (
        <Field
          id="reauth-code"
          label={t("Code from the e-mail we just sent")}
          inputMode="numeric"
          autoComplete="one-time-code"
          value={nonce}
          onChange={(event) => setNonce(event.target.value)}
        />
      )}
      <button type="submit" disabled={busy}>
        {busy ? t("Saving…") : t("Change password")}
      </button>
    </form>
  );
}
