import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";
import { useAction } from "../ui/use-action.ts";

/**
 * Asks for the account's e-mail address and runs `send` with it; `send` throws an error whose
 * message is the sentence, or returns when the mail is on its way.
 */
export function EmailRequestForm(
  { submitLabel, send }: { submitLabel: string; send: (address: string) => Promise<void> },
) {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const { busy, message, run, fail } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    if (!address.includes("@")) return fail(t("Enter the e-mail address of your account."));
    await run(() => send(address));
  };

  return (
    <form onSubmit={submit} noValidate>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <Field
        id="email"
        label={t("E-mail")}
        type="email"
        autoComplete="email"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
      />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t("Sending…") : submitLabel}
      </button>
    </form>
  );
}
