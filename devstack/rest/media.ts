/**
 * Content negotiation (Accept → response media type) and the profile headers (Accept-Profile,
 * Content-Profile → schema), as PostgREST's ApiRequest negotiates them.
 */
import { ApiError } from "./errors.ts";

export type ResponseMedia = "json" | "object" | "array" | "csv" | "openapi";

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
