import { useTranslation } from "react-i18next";
import { formatClock } from "../i18n/format.ts";

/** Sunday 2026-01-04 and the six days after it, to name the weekdays in the page's language. */
const A_SUNDAY = Date.UTC(2026, 0, 4);

/** Every sentence of the data-transfer and weekly-digest sections, in the page's language. */
export function useDataTransferStrings() {
  const { t, i18n } = useTranslation();
  const weekdayName = new Intl.DateTimeFormat(i18n.language, {
    weekday: "long",
    timeZone: "UTC",
  });
  return {
    dataTitle: t("Your data"),
    dataIntro: t(
      "Download everything as one JSON file, or a CSV per table (the format is in the README).",
    ),
    downloadJson: t("Download my data (JSON)"),
    downloadCsv: (table: string) => `${table}.csv`,
    downloadFailed: t("The download failed. Try again in a moment."),
    importTitle: t("Import"),
    importIntro: t(
      "Our own CSV export (habits.csv and completions.csv) or Loop Habit Tracker's (Habits.csv and Checkmarks.csv from its zip). All or nothing: a refused file writes nothing.",
    ),
    formatOurs: t("This app's CSV export"),
    formatLoop: "Loop Habit Tracker",
    firstFile: { ours: "habits.csv", loop: "Habits.csv" },
    secondFile: { ours: "completions.csv", loop: "Checkmarks.csv" },
    importButton: t("Import"),
    importing: t("Importing…"),
    chooseFiles: t("Choose both files first."),
    imported: (habits: number, completions: number) =>
      t("Imported {{habits}} habits and {{completions}} completions.", {
        habits,
        completions,
      }),
    importFailed: t("The import failed; nothing was written."),
    digestTitle: t("Weekly digest"),
    digestOptIn: t("Send me a weekly digest in Telegram"),
    digestDay: t("Digest day"),
    digestTime: t("Digest time (local)"),
    digestTimeMissing: t("Choose the digest's time, for example {{time}}.", { time: formatClock("19:00") }),
    weekdays: Array.from(
      { length: 7 },
      (_, day) => weekdayName.format(A_SUNDAY + day * 86_400_000),
    ),
    save: t("Save digest"),
    saved: t("Saved."),
  };
}
