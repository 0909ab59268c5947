import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";

/**
 * Asks for the account's e-mail address and runs `send` with it; `send` answers an error sentence,
 * or nothing when the mail is on its way.
 */
export function EmailRequestForm(
  { submitLabel, send }: { submitLabel: string; send: (address: string) => Promise<string | undefined> },
) {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    if (!address.includes("@")) {
      setError(t("Enter the e-mail address of your account."));
      return;
    }
    setBusy(true);
    setError(undefined);
    const problem = await send(address);
    setBusy(false);
    setError(problem);
  };

  return (
    <form onSubmit={submit} noValidate>
      {error && <Alert kind="error">{error}</Alert>}
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
