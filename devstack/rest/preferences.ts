/** The Prefer header, as PostgREST's Preferences module reads it. */
import { unsupported } from "./errors.ts";

export interface Preferences {
  return: "minimal" | "representation";
  count: boolean;
  missingDefault: boolean;
  /** The preferences honoured, for the Preference-Applied header. */
  applied: string[];
}

/** Parses `Prefer` (comma separated, as postgrest-js joins them). Unknown preferences are ignored, as in PostgREST's lenient mode. */
export function parsePrefer(header: string | null): Preferences {
  const prefs: Preferences = { return: "minimal", count: false, missingDefault: false, applied: [] };
  for (const raw of (header ?? "").split(",")) {
    const pref = raw.trim();
    if (pref === "") continue;
    const [name, value] = pref.split("=", 2).map((part) => part.trim());
    if (name === "return" && value === "representation") {
      prefs.return = "representation";
      prefs.applied.push("return=representation");
    } else if (name === "return" && (value === "minimal" || value === "headers-only")) {
      prefs.return = "minimal";
      prefs.applied.push(`return=${value}`);
    } else if (name === "count" && (value === "exact" || value === "planned" || value === "estimated")) {
      // planned and estimated are answered with the exact count, which both may return.
      prefs.count = true;
      prefs.applied.push(`count=${value}`);
    } else if (name === "missing" && value === "default") {
      prefs.missingDefault = true;
      prefs.applied.push("missing=default");
    } else if (name === "resolution") throw unsupported(`Prefer: ${pref} (upserts)`);
    else if (name === "params" && value === "single-object") throw unsupported(`Prefer: ${pref}`);
  }
  return prefs;
}
