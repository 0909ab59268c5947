/**
 * The Prefer header, read as PostgREST's Preferences module reads it: comma-separated across
 * headers, the first value of each preference wins. Unknown or invalid ones are refused with
 * 400 PGRST122: PostgREST answers so only under `handling=strict` and otherwise ignores them, but
 * the devstack never ignores what a client asked for, so it refuses them under both handlings. `tx=` is honoured only when PGRST_DB_TX_END allows an
 * override; where PostgREST would silently commit anyway, the devstack refuses instead.
 */
import { ApiError } from "./errors.ts";

export type TxEnd = "commit" | "commit-allow-override" | "rollback" | "rollback-allow-override";

export interface Preferences {
  resolution?: "merge-duplicates" | "ignore-duplicates";
  missing?: "default" | "null";
  return?: "representation" | "minimal" | "headers-only";
  params?: "single-object";
  count?: "exact" | "planned" | "estimated";
  tx?: "commit" | "rollback";
  handling?: "strict" | "lenient";
  timezone?: string;
  maxAffected?: number;
}

const choices = {
  resolution: ["merge-duplicates", "ignore-duplicates"],
  missing: ["default", "null"],
  return: ["representation", "minimal", "headers-only"],
  params: ["single-object"],
  count: ["exact", "planned", "estimated"],
  tx: ["commit", "rollback"],
  handling: ["strict", "lenient"],
} as const;
type Choice = keyof typeof choices;

const LENIENT_REFUSAL_HINT =
  "PostgREST ignores these under handling=lenient; the devstack refuses them so that no preference is silently dropped";

export function parsePrefer(headers: Headers, txEnd: TxEnd, timezones: ReadonlySet<string>): Preferences {
  const values = (headers.get("prefer") ?? "").split(",").map((p) => p.trim()).filter((p) => p !== "");
  const prefs: Preferences = {};
  const invalid: string[] = [];
  for (const pref of values) {
    const eq = pref.indexOf("=");
    const name = eq < 0 ? pref : pref.slice(0, eq);
    const value = eq < 0 ? "" : pref.slice(eq + 1);
    if (name in choices) {
      const allowed = choices[name as Choice] as readonly string[];
      if (!allowed.includes(value)) invalid.push(pref);
      else if (prefs[name as Choice] === undefined) {
        (prefs as unknown as Record<string, string>)[name] = value;
      }
    } else if (name === "timezone") {
      if (!timezones.has(value)) invalid.push(pref);
      else prefs.timezone ??= value;
    } else if (name === "max-affected" && /^\d+$/.test(value)) prefs.maxAffected ??= Number(value);
    else invalid.push(pref);
  }
  if (invalid.length > 0) {
    throw new ApiError(
      400,
      "PGRST122",
      "Invalid preferences given with handling=strict",
      `Invalid preferences: ${invalid.join(", ")}`,
      prefs.handling === "strict" ? null : LENIENT_REFUSAL_HINT,
    );
  }
  if (prefs.tx !== undefined && !txEnd.endsWith("-allow-override")) {
    // Not applied (as in PostgREST); harmless when it asks for what happens anyway.
    if (txEnd === prefs.tx) prefs.tx = undefined;
  }
  if (prefs.tx !== undefined && !txEnd.endsWith("-allow-override")) {
    throw new ApiError(
      400,
      "PGRST127",
      "Feature not implemented",
      `Prefer: tx=${prefs.tx} is not allowed by PGRST_DB_TX_END=${txEnd} (PostgREST ignores it and ends ` +
        `the transaction with ${txEnd}; the devstack refuses rather than change its meaning)`,
    );
  }
  return prefs;
}

/** Whether the transaction ends in a rollback (PGRST_DB_TX_END, overridden by `Prefer: tx=`). */
export function rollsBack(prefs: Preferences, txEnd: TxEnd): boolean {
  return prefs.tx !== undefined ? prefs.tx === "rollback" : txEnd.startsWith("rollback");
}

export type Action = "read" | "insert" | "update" | "delete" | "put" | "call" | "root";

/** Preference-Applied: the preferences honoured by this kind of action, in PostgREST's order. */
export function appliedPreferences(prefs: Preferences, action: Action, hasConflictTarget: boolean): string[] {
  const mutation = action === "insert" || action === "update" || action === "delete" || action === "put";
  const limited = action === "update" || action === "delete" || action === "call";
  const order = [
    action === "insert" && hasConflictTarget && prefs.resolution && `resolution=${prefs.resolution}`,
    (action === "insert" || action === "update") && prefs.missing && `missing=${prefs.missing}`,
    mutation && prefs.return && `return=${prefs.return}`,
    prefs.count && `count=${prefs.count}`,
    prefs.tx && `tx=${prefs.tx}`,
    prefs.handling && `handling=${prefs.handling}`,
    prefs.timezone && `timezone=${prefs.timezone}`,
    limited && prefs.handling === "strict" && prefs.maxAffected !== undefined &&
    `max-affected=${prefs.maxAffected}`,
  ];
  return action === "root" ? [] : order.filter((p): p is string => typeof p === "string");
}
