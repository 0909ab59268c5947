import { RULE_SENTENCES_BY_LANGUAGE } from "../errors/error-messages.ts";
import { currentLanguage, translate } from "../i18n/i18n.ts";

/** The import function's error body (supabase/functions/import/app.ts). */
export interface ImportErrorBody {
  error?: string;
  message?: string;
  rule?: string;
  file?: string;
  line?: number;
}

/**
 * The import's refusal in the page's language. The function answers in the profile's language; a
 * refused row also names its rule, file and line, so its sentence is rebuilt from the rule's
 * sentence in the page's language, which may have changed since the profile was read. A failure
 * of the function itself is said by the page (undefined here).
 */
export function importErrorSentence(body: ImportErrorBody): string | undefined {
  // The function's own failure has no language of the person's: the page says it in its own.
  if (body.error === "internal_error") return undefined;
  const where = body.file !== undefined && body.line !== undefined
    ? translate("{{file}} line {{line}}", { file: body.file, line: body.line })
    : undefined;
  if (body.error === "rule_violation" && body.rule) {
    const sentence = RULE_SENTENCES_BY_LANGUAGE[currentLanguage()][body.rule];
    if (sentence && where) return `${where}: ${sentence}`;
  }
  return body.message;
}
