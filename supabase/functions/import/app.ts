import { z } from "zod";
import { asCaller, authenticate } from "../_shared/caller.ts";
import type { Database } from "../_shared/db.ts";
import { RULE_SENTENCES } from "../_shared/rule-sentences.ts";
import { applyPlan, RuleRefusal } from "./apply.ts";
import { planLoop } from "./loop.ts";
import { planOurs } from "./ours.ts";
import { MalformedFile } from "./plan.ts";

/** Big enough for years of daily habits; anything larger is not an export of ours or Loop's. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

const body = z.discriminatedUnion("format", [
  z.object({ format: z.literal("habits-csv"), habits: z.string(), completions: z.string() }).strict(),
  z.object({ format: z.literal("loop"), habits: z.string(), checkmarks: z.string() }).strict(),
]);

const json = (payload: unknown, status = 200) => Response.json(payload, { status });

/**
 * POST /import {format: "habits-csv", habits, completions} (our own export's CSVs) or
 * {format: "loop", habits, checkmarks} (Loop Habit Tracker's Habits.csv and Checkmarks.csv).
 * All or nothing, as the caller: a malformed file is 400 and a refused row 422, each naming the
 * file and line; nothing is written then.
 */
export function createImportHandler(db: Database) {
  return async (request: Request): Promise<Response> => {
    if (request.method === "OPTIONS") return new Response(null, { status: 204 });
    if (request.method !== "POST") return json({ error: "method_not_allowed", message: "Use POST." }, 405);
    const caller = await authenticate(db, request);
    if (caller instanceof Response) return caller;
    const text = await request.text();
    if (new TextEncoder().encode(text).length > MAX_IMPORT_BYTES) {
      return json({
        error: "payload_too_large",
        message: `Imports are limited to ${MAX_IMPORT_BYTES} bytes.`,
      }, 413);
    }
    let parsed;
    try {
      parsed = body.safeParse(JSON.parse(text));
    } catch {
      return json({ error: "bad_json", message: "The body is not valid JSON." }, 400);
    }
    if (!parsed.success) {
      return json({
        error: "bad_request",
        message:
          'Send {"format":"habits-csv","habits":…,"completions":…} or {"format":"loop","habits":…,"checkmarks":…}.',
      }, 400);
    }
    const input = parsed.data;
    try {
      const [{ today }] = await asCaller(db, caller, (tx) =>
        tx<{ today: string }[]>`
          select ((now() at time zone timezone)::date)::text as today from public.profiles where id = ${caller.sub}`);
      const plan = input.format === "loop"
        ? planLoop(input.habits, input.checkmarks, today)
        : planOurs(input.habits, input.completions);
      const imported = await applyPlan(db, caller, plan);
      return json({ imported, report: plan.report });
    } catch (error) {
      if (error instanceof MalformedFile) {
        return json(
          { error: "malformed_file", message: error.message, file: error.file, line: error.line },
          400,
        );
      }
      if (error instanceof RuleRefusal) {
        const sentence = RULE_SENTENCES[error.rule] ?? `The row breaks the rule ${error.rule}.`;
        return json({
          error: "rule_violation",
          rule: error.rule,
          message: `${error.file} line ${error.line}: ${sentence}`,
          file: error.file,
          line: error.line,
        }, 422);
      }
      throw error;
    }
  };
}
