/**
 * English needs entries only for plural forms: keys are the English sentences themselves
 * (i18next's natural-language keys), plural keys take i18next's _one/_other suffixes.
 */
export const EN_PLURALS: Readonly<Record<string, string>> = {
  "every {{count}} days_one": "every day",
  "every {{count}} days_other": "every {{count}} days",
  "{{count}} habits_one": "{{count}} habit",
  "{{count}} habits_other": "{{count}} habits",
  "{{count}} attempts_one": "{{count}} attempt",
  "{{count}} attempts_other": "{{count}} attempts",
  "Completions over the last {{weeks}} weeks: {{count}} days done._one":
    "Completions over the last {{weeks}} weeks: {{count}} day done.",
  "Completions over the last {{weeks}} weeks: {{count}} days done._other":
    "Completions over the last {{weeks}} weeks: {{count}} days done.",
};
