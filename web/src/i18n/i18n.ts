import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { EN_PLURALS } from "./en.ts";

/**
 * The interface speaks English and Russian. Message keys are the English sentences themselves
 * (i18next's "natural language keys"): English needs a catalogue only for plural forms, Russian
 * translates every key. tests/e2e/i18n_catalogue_test.ts fails when a key used in web/src has no
 * Russian sentence. Strings outside JSX are marked with `msg()` so that test finds them too.
 */
export const LANGUAGES = ["en", "ru"] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = "habits.language";

export function isLanguage(value: unknown): value is Language {
  return value === "en" || value === "ru";
}

/** The chosen language (this device or the profile), else the browser's first we speak, else English. */
export function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // No storage: fall through to the browser's languages.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLanguage(base)) return base;
  }
  return "en";
}

export { msg } from "./msg.ts";

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  lng: initialLanguage(),
  fallbackLng: "en",
  supportedLngs: [...LANGUAGES],
  keySeparator: false,
  nsSeparator: false,
  returnEmptyString: false,
  interpolation: { escapeValue: false }, // React escapes
  // Russian is fetched when it is used (loadLanguage), not shipped in every first load.
  resources: { en: { translation: EN_PLURALS } },
  initAsync: false,
});

/** What else a language brings (the rule sentences of errors/), fetched with its own sentences. */
const alsoWithLanguage: ((language: Language) => Promise<void>)[] = [];

/** Adds to what loadLanguage fetches, so that it resolves only once that is in too. */
export function alsoLoadWithLanguage(load: (language: Language) => Promise<void>): void {
  alsoWithLanguage.push(load);
}

/** Fetches a language's sentences once (English needs none); resolves when they are in. */
export async function loadLanguage(language: Language): Promise<void> {
  if (language === "en" || i18n.hasResourceBundle(language, "translation")) return;
  const [{ RU }] = await Promise.all([
    import("./ru.ts"),
    ...alsoWithLanguage.map((load) => load(language)),
  ]);
  i18n.addResourceBundle("ru", "translation", RU);
}

function applyToDocument(language: Language): void {
  document.documentElement.lang = language;
}
applyToDocument(currentLanguage());
i18n.on("languageChanged", (language) => {
  if (isLanguage(language)) applyToDocument(language);
});

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : "en";
}

/** Switches the interface and remembers the choice on this device. */
export function setLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode: the choice lasts for this page (and is still saved in the profile).
  }
  if (language !== currentLanguage()) {
    void loadLanguage(language).then(() => i18n.changeLanguage(language));
  }
}

/** Translates outside React (error sentences, document titles). */
export function translate(key: string, options: Record<string, unknown> = {}): string {
  return i18n.t(key, options);
}
