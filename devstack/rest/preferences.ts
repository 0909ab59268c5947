/**
 * The request headers that shape a response: Prefer, Accept and the profile headers.
 */
import { ApiError, unsupported } from "./errors.ts";

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

export type ResponseMedia = "json" | "object" | "openapi";

const objectMedia = ["application/vnd.pgrst.object+json", "application/vnd.pgrst.object"];

/**
 * Picks the response media type from Accept. `root` allows the OpenAPI type. Types the devstack
 * does not produce (CSV, GeoJSON, plans, ...) answer 406 PGRST107 as PostgREST does.
 */
export function negotiateMedia(accept: string | null, root = false): ResponseMedia {
  if (!accept || accept.trim() === "") return root ? "openapi" : "json";
  const ranges = accept.split(",").map((part, index) => {
    const [type, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    return { type, q: q ? Number(q.slice(2)) : 1, index };
  }).filter((range) => range.type !== "" && range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { type } of ranges) {
    if (type === "*/*" || type === "application/*") return root ? "openapi" : "json";
    if (type === "application/json") return "json";
    if (root && type === "application/openapi+json") return "openapi";
    if (!root && objectMedia.includes(type)) return "object";
  }
  throw new ApiError(
    406,
    "PGRST107",
    `None of these media types are available: ${ranges.map((r) => r.type).join(", ")}`,
  );
}

/** The schema a request addresses: Accept-Profile (GET/HEAD) or Content-Profile (others). */
export function pickSchema(headers: Headers, method: string, schemas: string[]): string {
  const header = method === "GET" || method === "HEAD" ? "accept-profile" : "content-profile";
  const requested = headers.get(header)?.trim();
  if (!requested) return schemas[0];
  if (!schemas.includes(requested)) {
    throw new ApiError(
      406,
      "PGRST106",
      `Invalid schema: ${requested}`,
      null,
      `Only the following schemas are exposed: ${schemas.join(", ")}`,
    );
  }
  return requested;
}
