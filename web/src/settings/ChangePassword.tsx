import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { authData, authErrorSentence, AuthFailure } from "../auth/auth-errors.ts";
import { NewPasswordField, WEAK_PASSWORD_SENTENCE } from "../auth/NewPasswordField.tsx";
import { passwordIsAcceptable } from "../auth/password-rules.ts";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";
import { useAction } from "../ui/use-action.ts";

/**
 * Changes the password. When Auth asks for reauthentication (secure_password_change), it mails a
 * code first and the form asks for it.
 */
export function ChangePassword() {
  const { t } = useTranslation();
  const [password, setPassword] = useState("");
  const [nonce, setNonce] = useState("");
  const [needsNonce, setNeedsNonce] = useState(false);
  const { busy, message: result, run, fail } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!passwordIsAcceptable(password)) return fail(t(WEAK_PASSWORD_SENTENCE));
    await run(async () => {
      const { error } = await supabase.auth.updateUser(
        needsNonce ? { password, nonce: nonce.trim() } : { password },
      );
      if (error?.code === "reauthentication_needed") {
        const sent = await supabase.auth.reauthenticate();
        setNeedsNonce(!sent.error);
        authData(sent);
        return { kind: "info", text: authErrorSentence(error) };
      }
      if (error) throw new AuthFailure(error);
      setPassword("");
      setNonce("");
      setNeedsNonce(false);
      return t("Your new password is saved.");
    });
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
