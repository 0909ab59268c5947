import { Field } from "../ui/Field.tsx";

export const WEAK_PASSWORD_SENTENCE =
  "Choose a stronger password: at least 8 characters with letters and digits.";

/** The new-password input of the reset page and the settings, with the policy as its hint. */
export function NewPasswordField(
  { id, value, onChange }: { id: string; value: string; onChange: (value: string) => void },
) {
  return (
    <Field
      id={id}
      label="New password"
      type="password"
      autoComplete="new-password"
      value={value}
      onChange={(event) => onChange(event.target.value)}
      hint="At least 8 characters, with letters and digits."
    />
  );
}
