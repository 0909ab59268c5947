/**
 * Content negotiation (Accept → response media type) and the profile headers (Accept-Profile,
 * Content-Profile → schema), as PostgREST's ApiRequest negotiates them.
 */
import { ApiError } from "./errors.ts";

export type ResponseMedia = "json" | "object" | "array" | "csv" | "openapi";

export interface Negotiated {
  media: ResponseMedia;
  /** `nulls=stripped` on the vnd.pgrst array/object types: keys with null values are left out. */
  stripNulls: boolean;
}

const byType: Record<string, ResponseMedia> = {
  "application/json": "json",
  "application/vnd.pgrst.object+json": "object",
  "application/vnd.pgrst.object": "object",
  "application/vnd.pgrst.array+json": "array",
  "application/vnd.pgrst.array": "array",
  "text/csv": "csv",
};

/**
 * Picks the response media type from Accept. `root` allows only the OpenAPI and JSON types. Types
 * the devstack does not produce (GeoJSON, plans, ...) answer 406 PGRST107 as PostgREST does.
 */
export function negotiateMedia(accept: string | null, root = false): Negotiated {
  const fallback: Negotiated = { media: root ? "openapi" : "json", stripNulls: false };
  if (!accept || accept.trim() === "") return fallback;
  const ranges = accept.split(",").map((part, index) => {
    const [type, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    return { type, params, q: q ? Number(q.slice(2)) : 1, index };
  }).filter((range) => range.type !== "" && range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { type, params } of ranges) {
    if (type === "*/*" || type === "application/*") return fallback;
    if (root) {
      if (type === "application/openapi+json") return { media: "openapi", stripNulls: false };
      if (type === "application/json") return { media: "json", stripNulls: false };
      continue;
    }
    const media = byType[type];
    if (!media) continue;
    const stripNulls = params.includes("nulls=stripped");
    if (stripNulls && media !== "array" && media !== "object") continue;
    return { media, stripNulls };
  }
  throw new ApiError(
    406,
    "PGRST107",
    `None of these media types are available: ${ranges.map((r) => r.type).join(", ")}`,
  );
}

/**
 * The schema a request addresses: Accept-Profile (GET/HEAD) or Content-Profile (others), else the
 * first exposed one. `negotiated` (a profile header, or several exposed schemas) decides whether
 * the response carries Content-Profile, as in PostgREST.
 */
export function pickSchema(
  headers: Headers,
  method: string,
  schemas: string[],
): { schema: string; negotiated: boolean } {
  const header = method === "GET" || method === "HEAD" ? "accept-profile" : "content-profile";
  const requested = headers.get(header)?.trim();
  if (!requested) return { schema: schemas[0], negotiated: schemas.length !== 1 };
  if (!schemas.includes(requested)) {
    throw new ApiError(
      406,
      "PGRST106",
      `Invalid schema: ${requested}`,
      null,
      `Only the following schemas are exposed: ${schemas.join(", ")}`,
    );
  }
  return { schema: requested, negotiated: true };
}
