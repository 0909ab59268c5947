/**
 * The export format (README "Take your data, bring your data"): one CSV per table with these
 * columns, in this order, or all three in one JSON file. The import reads the same columns.
 */
export const EXPORT_COLUMNS = {
  habits: [
    "id",
    "action",
    "place",
    "time",
    "interval_days",
    "duration_seconds",
    "is_pleasant",
    "related_habit_id",
    "reward",
    "is_public",
    "is_paused",
    "starts_on",
    "created_at",
  ],
  completions: ["habit_id", "occurrence_at", "completed_at", "source"],
  deliveries: ["id", "habit_id", "kind", "due_at", "status", "attempts", "sent_at", "last_error"],
} as const;

export type ExportTable = keyof typeof EXPORT_COLUMNS;
export const EXPORT_TABLES = Object.keys(EXPORT_COLUMNS) as ExportTable[];
export const EXPORT_FORMAT_VERSION = 1;
