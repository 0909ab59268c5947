/** The languages the bot speaks: the profile's language when set, else Telegram's language_code. */
export type Language = "en" | "ru";

export function pickLanguage(
  profileLanguage: string | null | undefined,
  languageCode: string | undefined,
): Language {
  if (profileLanguage === "en" || profileLanguage === "ru") return profileLanguage;
  return languageCode?.toLowerCase().startsWith("ru") ? "ru" : "en";
}
