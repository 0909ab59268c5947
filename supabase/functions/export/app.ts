import { Hono } from "hono";
import { browserCors } from "../_shared/browser-cors.ts";
import { allowMethod } from "../_shared/allow-method.ts";
import { asCaller, authenticate, type Caller } from "../_shared/caller.ts";
import { type CallerEnv, requireCaller } from "../_shared/caller-middleware.ts";
import { stringifyCsv } from "../_shared/csv-write.ts";
import type { Database } from "../_shared/db.ts";
import {
  EXPORT_COLUMNS,
  EXPORT_FORMAT_VERSION,
  EXPORT_TABLES,
  type ExportTable,
} from "../_shared/data-format.ts";

type Row = Record<string, string | number | boolean | null>;

/** The caller's rows of `table`, read under row level security (ISO times, "HH:MM:SS" times). */
function rowsOf(tx: Database, table: ExportTable): Promise<Row[]> {
  switch (table) {
    case "habits":
      return tx<Row[]>`
        select id, action, place, time::text as time, interval_days, duration_seconds, is_pleasant,
          related_habit_id, reward, is_public, is_paused, starts_on::text as starts_on,
          to_json(created_at) #>> '{}' as created_at
        from public.habits order by created_at, id`;
    case "completions":
      return tx<Row[]>`
        select habit_id, to_json(occurrence_at) #>> '{}' as occurrence_at,
          to_json(completed_at) #>> '{}' as completed_at, source
        from public.habit_completions order by habit_id, occurrence_at`;
    case "deliveries":
      return tx<Row[]>`
        select id::text as id, habit_id, kind, to_json(due_at) #>> '{}' as due_at, status, attempts,
          to_json(sent_at) #>> '{}' as sent_at, last_error
        from public.notifications order by id`;
  }
}

/** One table as CSV: a header row, then one row per record; empty cells for nulls. */
export function toCsv(table: ExportTable, rows: Row[]): string {
  const columns = EXPORT_COLUMNS[table];
  return stringifyCsv(columns, rows.map((row) => columns.map((column) => row[column] ?? null)));
}

/**
 * GET /export: everything of the caller's as one JSON file; GET /export?table=<habits|completions|
 * deliveries>: that table as CSV. Read as the caller (their JWT, row level security), never as the
 * service role, so no one can receive another person's rows.
 */
export function createExportApp(db: Database) {
  const app = new Hono<CallerEnv>();
  app.use(browserCors("GET"));
  app.use(allowMethod("GET"));
  app.get("*", requireCaller((request) => authenticate(db, request)), async (c) => {
    const url = new URL(c.req.url);
    for (const name of url.searchParams.keys()) {
      if (name !== "table") {
        return c.json({ error: "unknown_parameter", message: `Unknown parameter: ${name}.` }, 400);
      }
    }
    const table = url.searchParams.get("table");
    if (table === null) return await exportAll(db, c.get("caller"));
    if (!EXPORT_TABLES.includes(table as ExportTable)) {
      return c.json(
        { error: "unknown_table", message: `table must be one of ${EXPORT_TABLES.join(", ")}.` },
        400,
      );
    }
    const rows = await asCaller(db, c.get("caller"), (tx) => rowsOf(tx, table as ExportTable));
    return new Response(toCsv(table as ExportTable, rows), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="habits-${table}-${today()}.csv"`,
      },
    });
  });
  return app;
}

const today = () => new Date().toISOString().slice(0, 10);

/** Every table of the caller's as one JSON file. */
async function exportAll(db: Database, caller: Caller): Promise<Response> {
  const data = await asCaller(db, caller, async (tx) => ({
    habits: await rowsOf(tx, "habits"),
    completions: await rowsOf(tx, "completions"),
    deliveries: await rowsOf(tx, "deliveries"),
  }));
  return new Response(
    JSON.stringify({
      format: "habits-export",
      version: EXPORT_FORMAT_VERSION,
      exported_at: new Date(),
      ...data,
    }),
    {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="habits-export-${today()}.json"`,
      },
    },
  );
}
