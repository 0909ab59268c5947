/**
 * The devstack's own tools (the chat page's API, the Telegram stand-in's control endpoints, the
 * mail catcher's API) listen on loopback ports, and any web page the developer opens can send
 * requests to them. A browser sends "simple" cross-origin requests (a text/plain POST, a form)
 * without asking first, so refusing to answer CORS is not enough: a request that may change state
 * is refused with 403 unless it comes from the tool's own origin, or from a program (no Origin,
 * no Sec-Fetch-Site) sending JSON, which no page can do without a preflight these tools never allow.
 */

/** A method a request may use without being able to change state. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

/**
 * The origins a tool listening on `hostname:port` counts as its own: that one, and its loopback
 * aliases when it listens on loopback (the same page opened as localhost or 127.0.0.1).
 */
export function ownOrigins(hostname: string, port: number): ReadonlySet<string> {
  const host = hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname;
  const names = LOOPBACK_NAMES.includes(host) || host === "0.0.0.0" || host === "[::]"
    ? LOOPBACK_NAMES
    : [host];
  return new Set(names.map((name) => `http://${name}:${port}`));
}

export interface RequestFacts {
  method: string;
  /** A request header's value, or null/undefined when absent. */
  header(name: string): string | null | undefined;
}

/**
 * Why this request must be refused (a sentence for the 403), or null when it may proceed.
 * Safe methods always proceed: these tools send no CORS headers, so no other page can read them.
 * `programsSendJson: false` is for an API whose programs also send forms (the Bot API): there a
 * request without Origin and Sec-Fetch-Site is a program's, whatever its content type.
 * `everyMethod: true` is for an API where GET changes state too (the Bot API takes every method
 * by GET), so a page's <img> or link cannot call it either.
 */
export function crossOriginRefusal(
  request: RequestFacts,
  own: ReadonlySet<string>,
  options: { programsSendJson?: boolean; everyMethod?: boolean } = {},
): string | null {
  if (!options.everyMethod && SAFE_METHODS.has(request.method.toUpperCase())) return null;
  const origin = request.header("origin");
  if (origin) {
    return own.has(origin)
      ? null
      : `requests from ${origin} are refused: this tool accepts its own origin only`;
  }
  const site = request.header("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    return `a ${site} request is refused: this tool accepts its own origin only`;
  }
  // Only POST can be sent cross-origin without a preflight, and only with a "simple" content type.
  const programsSendJson = options.programsSendJson ?? true;
  if (
    programsSendJson && request.method.toUpperCase() === "POST" && !isJson(request.header("content-type"))
  ) {
    return "a request without an Origin header must send Content-Type: application/json";
  }
  return null;
}

function isJson(contentType: string | null | undefined): boolean {
  const essence = (contentType ?? "").split(";", 1)[0].trim().toLowerCase();
  return essence === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(essence);
}
