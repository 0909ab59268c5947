/**
 * Kong normalises a request path once, before it picks a route (RFC 3986 §6.2.2: percent-encoded
 * unreserved characters decoded, dot segments removed), and routes and forwards that one path.
 * Routing on the raw path and forwarding a normalised one would let `/functions/v1/../rest/v1/x`
 * match one route and reach another upstream, so every request is rewritten here first.
 */

const unreserved = /%(2[dDeE]|3[0-9]|[46][1-9a-fA-F]|[57][0-9aA]|5[fF]|7[eE])/g;

export function normalizedRequest(request: Request): Request {
  const url = new URL(request.url);
  // The path as received: everything after the authority, before the query.
  const raw = request.url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "").split(/[?#]/, 1)[0] || "/";
  // Decode unreserved characters first, so `%2e%2e` is a dot segment like `..`.
  const decoded = raw.replace(unreserved, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
  // Resolved against a fixed base so that a path starting with "//" stays a path.
  const resolved = new URL(`http://gateway${decoded.startsWith("/") ? "" : "/"}${decoded}`).pathname;
  if (resolved === raw) return request;
  return new Request(`${url.origin}${resolved}${url.search}`, request);
}
