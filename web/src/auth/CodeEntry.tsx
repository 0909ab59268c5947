import { type EmailOtpType } from "@supabase/supabase-js";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";
import { useAction } from "../ui/use-action.ts";
import { authData } from "./auth-errors.ts";

/**
 * The six-digit code from an Auth e-mail, as an alternative to its link. `onVerified` gets
 * whether Auth answered with a session (an e-mail change confirmed on one side only has none).
 */
export function CodeEntry(
  {
    email,
    type,
    label,
    onVerified,
    id = "code",
  }: {
    email: string;
    type: EmailOtpType;
    label?: string;
    onVerified: (signedIn: boolean) => void;
    id?: string;
  },
) {
  const { t } = useTranslation();
  const [code, setCode] = useState("");
  const { busy, message, run, fail } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const token = code.replace(/\s|-/g, "");
    if (!/^\d{6,10}$/.test(token)) return fail(t("Enter the code from the e-mail: six digits."));
    await run(async () => {
      const data = authData(await supabase.auth.verifyOtp({ email, token, type }));
      setCode("");
      onVerified(data.session !== null);
    });
  };

  return (
    <form onSubmit={submit} noValidate className="code-entry">
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <Field
        id={id}
        label={label ?? t("Or enter the 6-digit code from the e-mail")}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]*"
        maxLength={12}
        value={code}
        onChange={(event) => setCode(event.target.value)}
      />
      <button type="submit" disabled={busy || email === ""}>
        {busy ? t("Checking…") : t("Use the code")}
      </button>
    </form>
  );
}
