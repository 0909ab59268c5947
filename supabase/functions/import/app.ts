import { z } from "zod";
import { Hono } from "hono";
import { browserCors } from "../_shared/browser-cors.ts";
import { allowMethod } from "../_shared/allow-method.ts";
import { asCaller, authenticate, type Caller, unauthorized } from "../_shared/caller.ts";
import { type CallerEnv, requireCaller } from "../_shared/caller-middleware.ts";
import type { Database } from "../_shared/db.ts";
import { type Language, pickLanguage } from "../_shared/language.ts";
import { pickTimeFormat } from "../_shared/clock.ts";
import { RULE_SENTENCES, RULE_SENTENCES_RU } from "../_shared/rule-sentences.ts";
import { applyPlan, leftOutLine, RuleRefusal } from "./apply.ts";
import { planLoop } from "./loop.ts";
import { planOurs } from "./ours.ts";
import { atLine, IMPORT_LIMITS, MalformedFile, TooManyRows } from "./plan.ts";

const body = z.discriminatedUnion("format", [
  z
    .object({
      format: z.literal("habits-csv"),
      habits: z.string(),
      completions: z.string(),
    })
    .strict(),
  z
    .object({
      format: z.literal("loop"),
      habits: z.string(),
      checkmarks: z.string(),
    })
    .strict(),
]);

const json = (payload: unknown, status = 200) => Response.json(payload, { status });

/** The answers that are not about one line, per language. */
const SAY = {
  en: {
    tooLarge: `Imports are limited to ${IMPORT_LIMITS.bytes} bytes (2 MiB).`,
    tooMany: (file: string, limit: number, counted: "rows" | "completions") =>
      `${file} has more than ${limit} ${counted}, the most one import takes.`,
    badJson: "The body is not valid JSON.",
    badRequest:
      'Send {"format":"habits-csv","habits":…,"completions":…} or {"format":"loop","habits":…,"checkmarks":…}.',
    rule: (rule: string) => RULE_SENTENCES[rule] ?? `The row breaks the rule ${rule}.`,
  },
  ru: {
    tooLarge: `Импорт — не больше ${IMPORT_LIMITS.bytes} байт (2 МиБ).`,
    tooMany: (file: string, limit: number, counted: "rows" | "completions") =>
      `В ${file} больше ${limit} ${
        counted === "rows" ? "строк" : "выполнений"
      } — столько за один импорт не принять.`,
    badJson: "Тело запроса — не JSON.",
    badRequest:
      'Отправьте {"format":"habits-csv","habits":…,"completions":…} или {"format":"loop","habits":…,"checkmarks":…}.',
    rule: (rule: string) =>
      RULE_SENTENCES_RU[rule] ?? RULE_SENTENCES[rule] ?? `Строка нарушает правило ${rule}.`,
  },
} satisfies Record<Language, unknown>;

type Say = (typeof SAY)[Language];

/** The caller's language (their profile's, else the browser's), time format, local today and the database's clock. */
async function callerContext(db: Database, caller: Caller, request: Request) {
  const [profile] = await asCaller(
    db,
    caller,
    (tx) =>
      tx<{ language: string | null; time_format: string; today: string; now: Date }[]>`
      select language, time_format, ((now() at time zone timezone)::date)::text as today, now() as now
      from public.profiles where id = ${caller.sub}`,
  );
  if (!profile) return null;
  return {
    language: pickLanguage(profile.language, request.headers.get("Accept-Language") ?? undefined),
    timeFormat: pickTimeFormat(profile.time_format),
    today: profile.today,
    now: profile.now.getTime(),
  };
}

/**
 * POST /import {format: "habits-csv", habits, completions} (our own export's CSVs) or
 * {format: "loop", habits, checkmarks} (Loop Habit Tracker's Habits.csv and Checkmarks.csv).
 * All or nothing, as the caller: a body over the limit is 413, a malformed file 400 and a
 * refused row 422, each naming the file and line in the person's language; nothing is written then.
 */
export function createImportApp(db: Database) {
  const app = new Hono<CallerEnv>();
  app.onError((error) => {
    console.error("import failed:", error instanceof Error ? error.message : error);
    return json({ error: "internal_error", message: "The import failed; nothing was written." }, 500);
  });
  app.use(browserCors("POST"));
  app.use(allowMethod("POST"));
  app.post("*", requireCaller((request) => authenticate(db, request)), async (c) => {
    const caller = c.get("caller");
    const request = c.req.raw;
    const context = await callerContext(db, caller, request);
    if (!context) return unauthorized();
    const say = SAY[context.language];
    const input = await readBody(request, say);
    if (input instanceof Response) return input;
    try {
      const plan = input.format === "loop"
        ? planLoop(input.habits, input.checkmarks, context.today, context)
        : planOurs(input.habits, input.completions, context.today, context.now);
      const { imported, leftOut } = await applyPlan(db, caller, plan);
      const report = [
        ...plan.report,
        ...leftOut.map((c) => atLine(c.file, c.line, leftOutLine(c)[context.language], context.language)),
      ];
      return json({ imported, report });
    } catch (error) {
      return refusal(error, say, context.language);
    }
  });
  return app;
}

/** The request's body within the size limit, parsed; or the 413 or 400 that refuses it. */
async function readBody(request: Request, say: Say): Promise<z.infer<typeof body> | Response> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > IMPORT_LIMITS.bytes) {
    await request.body?.cancel();
    return json({ error: "payload_too_large", message: say.tooLarge }, 413);
  }
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.length > IMPORT_LIMITS.bytes) {
    return json({ error: "payload_too_large", message: say.tooLarge }, 413);
  }
  let parsed;
  try {
    parsed = body.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    return json({ error: "bad_json", message: say.badJson }, 400);
  }
  if (!parsed.success) return json({ error: "bad_request", message: say.badRequest }, 400);
  return parsed.data;
}

/** The answer to a file refused while planning or applying it (anything else is rethrown). */
function refusal(error: unknown, say: Say, language: Language): Response {
  if (error instanceof TooManyRows) {
    return json({
      error: "too_many_rows",
      message: say.tooMany(error.file, error.limit, error.counted),
      file: error.file,
      limit: error.limit,
    }, 413);
  }
  if (error instanceof MalformedFile) {
    return json({
      error: "malformed_file",
      message: atLine(error.file, error.line, error.problem[language], language),
      file: error.file,
      line: error.line,
    }, 400);
  }
  if (error instanceof RuleRefusal) {
    return json({
      error: "rule_violation",
      rule: error.rule,
      message: atLine(error.file, error.line, say.rule(error.rule), language),
      file: error.file,
      line: error.line,
    }, 422);
  }
  throw error;
}
