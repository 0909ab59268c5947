import {
  addRuleSentences,
  type DataErrorLike,
  dataErrorSentence,
  errorIdentifier,
  isSessionExpired,
} from "../errors/error-messages.ts";
import { alsoLoadWithLanguage, currentLanguage } from "../i18n/i18n.ts";

// The Russian rule sentences come with the other Russian ones, not in every first load.
alsoLoadWithLanguage(async (language) => {
  if (language === "ru") {
    addRuleSentences("ru", (await import("../errors/rule-sentences-ru.ts")).RULE_SENTENCES_RU);
  }
});

/** A Data API failure carrying its sentence (as message) and its stable identifier. */
export class DataError extends Error {
  readonly identifier: string | undefined;
  readonly code: string | undefined;
  /** The session is gone: the page should keep what was typed and ask to sign in again. */
  readonly sessionExpired: boolean;

  constructor(source: DataErrorLike) {
    super(dataErrorSentence(source, currentLanguage()));
    this.sessionExpired = isSessionExpired(source);
    this.name = "DataError";
    this.identifier = errorIdentifier(source);
    this.code = source.code ?? undefined;
  }
}

/** The data of a supabase-js result, or a DataError with a sentence. */
export function unwrap<T>(
  result: { data: T | null; error: DataErrorLike | null; status?: number },
): T {
  if (result.error) {
    throw new DataError({
      ...result.error,
      status: result.error.status ?? result.status,
    });
  }
  if (result.data === null) throw new DataError({ message: "Not found." });
  return result.data;
}
