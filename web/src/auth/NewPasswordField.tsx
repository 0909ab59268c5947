import { useTranslation } from "react-i18next";
import { msg } from "../i18n/i18n.ts";
import { Field } from "../ui/Field.tsx";

/** A message key. */
export const WEAK_PASSWORD_SENTENCE = msg(
  "Choose a stronger password: at least 8 characters with letters and digits.",
);

/** The new-password input of the reset page and the settings, with the policy as its hint. */
export function NewPasswordField(
  { id, value, onChange }: { id: string; value: string; onChange: (value: string) => void },
) {
  const { t } = useTranslation();
  return (
    <Field
      id={id}
      label={t("New password")}
      type="password"
      autoComplete="new-password"
      value={value}
      onChange={(event) => onChange(event.target.value)}
      hint={t("At least 8 characters, with letters and digits.")}
    />
  );
}
