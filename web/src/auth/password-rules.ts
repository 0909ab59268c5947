import { msg } from "../i18n/i18n.ts";

/**
 * The password policy of supabase/config.toml (minimum_password_length = 8,
 * password_requirements = "letters_digits"), checked before the form is sent.
 */
export interface PasswordRule {
  id: string;
  /** A message key: translate it where it is shown. */
  label: string;
  test: (password: string) => boolean;
}

export const PASSWORD_RULES: readonly PasswordRule[] = [
  { id: "length", label: msg("At least 8 characters"), test: (p) => p.length >= 8 },
  { id: "letter", label: msg("At least one letter"), test: (p) => /\p{L}/u.test(p) },
  { id: "digit", label: msg("At least one digit"), test: (p) => /\d/.test(p) },
];

export function passwordIsAcceptable(password: string): boolean {
  return PASSWORD_RULES.every((rule) => rule.test(password));
}
