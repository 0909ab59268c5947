import { useTranslation } from "react-i18next";
import { currentLanguage } from "../i18n/i18n.ts";
import { ruleSentenceIn } from "./error-messages.ts";

/**
 * Shows a form error in the interface language: a rule's English sentence (the zod schema states
 * rules with the database's sentences) becomes the rule's sentence; other messages are keys.
 */
export function useRuleText(): (message: string | undefined) => string | undefined {
  const { t } = useTranslation();
  return (message) => message && (ruleSentenceIn(message, currentLanguage()) ?? t(message));
}
