import { useState } from "react";
import { useTranslation } from "react-i18next";
import { currentLanguage, isLanguage, LANGUAGES } from "../i18n/i18n.ts";
import { chooseLanguage } from "../profile/language-sync.ts";

const NAMES = { en: "English", ru: "Русский" } as const;

/**
 * The interface language, each named in itself. Signed in, the choice is saved in the profile;
 * `id` gives it a visible label elsewhere (the settings page).
 */
export function LanguageSelect({ id, onError }: { id?: string; onError?: (message: string) => void }) {
  const { t, i18n } = useTranslation();
  const [, rerender] = useState(0);
  const value = isLanguage(i18n.language) ? i18n.language : currentLanguage();
  const select = (
    <select
      id={id}
      value={value}
      lang={value}
      onChange={(event) => {
        const next = event.target.value;
        if (!isLanguage(next)) return;
        chooseLanguage(next).then(
          () => rerender((n) => n + 1),
          (error: unknown) => onError?.(error instanceof Error ? error.message : String(error)),
        );
      }}
    >
      {LANGUAGES.map((language) => (
        <option key={language} value={language} lang={language}>{NAMES[language]}</option>
      ))}
    </select>
  );
  if (id) return select;
  return (
    <label className="language-select">
      <span className="visually-hidden">{t("Language")}</span>
      {select}
    </label>
  );
}
