/** Every sentence of the data-transfer and weekly-digest sections, in one place. */
export const STRINGS = {
  dataTitle: "Your data",
  dataIntro: "Download everything as one JSON file, or a CSV per table (the format is in the README).",
  downloadJson: "Download my data (JSON)",
  downloadCsv: (table: string) => `${table}.csv`,
  downloadFailed: "The download failed. Try again in a moment.",
  importTitle: "Import",
  importIntro:
    "Our own CSV export (habits.csv and completions.csv) or Loop Habit Tracker's (Habits.csv and " +
    "Checkmarks.csv from its zip). All or nothing: a refused file writes nothing.",
  formatOurs: "This app's CSV export",
  formatLoop: "Loop Habit Tracker",
  firstFile: { ours: "habits.csv", loop: "Habits.csv" },
  secondFile: { ours: "completions.csv", loop: "Checkmarks.csv" },
  importButton: "Import",
  importing: "Importing…",
  chooseFiles: "Choose both files first.",
  imported: (habits: number, completions: number) =>
    `Imported ${habits} habits and ${completions} completions.`,
  importFailed: "The import failed; nothing was written.",
  digestTitle: "Weekly digest",
  digestOptIn: "Send me a weekly digest in Telegram",
  digestDay: "Digest day",
  digestTime: "Digest time (local)",
  weekdays: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
  save: "Save digest",
  saved: "Saved.",
} as const;
