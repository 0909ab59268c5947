import { apiKeyOf } from "./apikey.ts";

/** Headers that belong to one connection and must not be forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "host",
];

export interface ForwardTarget {
  /** Upstream base URL, e.g. http://127.0.0.1:9999 (no trailing slash). */
  upstream: string;
  /** Path on the upstream, already stripped of the gateway prefix, starting with "/". */
  path: string;
  /** The prefix the gateway stripped (sent as X-Forwarded-Prefix, as Kong does). */
  prefix: string;
  /** Address of the client, for X-Forwarded-For. */
  clientAddress?: string;
  /** Drop `?apikey=` from the forwarded query (the key was used to authenticate). */
  hideQueryKey?: boolean;
  /** Give up with Kong's 504 when the upstream has not started answering within this time. */
  readTimeoutMs?: number;
}

/**
 * The query string to forward. With `hideQueryKey` the `apikey` parameter is removed and the rest
 * is kept byte for byte (re-serialising would change how PostgREST sees the values).
 */
export function forwardedSearch(url: URL, hideQueryKey = false): string {
  if (!hideQueryKey || !url.searchParams.has("apikey")) return url.search;
  const kept = url.search.slice(1).split("&").filter((pair) => {
    const name = pair.split("=", 1)[0];
    try {
      return decodeURIComponent(name.replaceAll("+", " ")) !== "apikey";
    } catch {
      return true;
    }
  });
  return kept.length > 0 ? `?${kept.join("&")}` : "";
}

/**
 * Forwards a request to an upstream service the way Kong does: method, headers, query and body
 * streamed through unchanged, redirects passed back to the client untouched. An upstream that
 * cannot be reached answers 502; one that has not started answering within `readTimeoutMs`, 504.
 */
export async function forward(request: Request, target: ForwardTarget): Promise<Response> {
  const incoming = new URL(request.url);
  const url = `${target.upstream}${target.path}${forwardedSearch(incoming, target.hideQueryKey)}`;
  const headers = forwardedRequestHeaders(request, target);
  const hasBody = request.body !== null && request.method !== "GET" && request.method !== "HEAD";
  let upstreamResponse: Response;
  // Only the wait for the response head is bounded; the timer is gone before the body streams.
  const gaveUp = new AbortController();
  const timer = target.readTimeoutMs === undefined
    ? undefined
    : setTimeout(() => gaveUp.abort(), target.readTimeoutMs);
  try {
    upstreamResponse = await fetch(url, {
      method: request.method,
      headers,
      body: hasBody ? request.body : undefined,
      redirect: "manual",
      signal: gaveUp.signal,
    });
  } catch (error) {
    if (gaveUp.signal.aborted) {
      return Response.json({ message: "The upstream server is timing out" }, { status: 504 });
    }
    return Response.json({
      message: "An invalid response was received from the upstream server",
      error: error instanceof Error ? error.message : String(error),
    }, { status: 502 });
  } finally {
    clearTimeout(timer);
  }
  const responseHeaders = new Headers(upstreamResponse.headers);
  for (const name of HOP_BY_HOP) responseHeaders.delete(name);
  return new Response(upstreamResponse.body, {
    status: upstreamResponse.status,
    statusText: upstreamResponse.statusText,
    headers: responseHeaders,
  });
}

function forwardedRequestHeaders(request: Request, target: ForwardTarget): Headers {
  const incoming = new URL(request.url);
  const headers = new Headers(request.headers);
  for (const name of HOP_BY_HOP) headers.delete(name);
  // The upstreams are local; compression between gateway and upstream would only have to be undone.
  headers.delete("accept-encoding");
  // A streamed body is re-framed by fetch; a stale length would corrupt it.
  headers.delete("content-length");
  // Like Supabase's gateway: a request with only an apikey is authorized as that key's role.
  const apiKey = apiKeyOf(request);
  if (!headers.has("authorization") && apiKey !== null) headers.set("authorization", `Bearer ${apiKey}`);
  // Kong's proxy headers: the chain the client sent plus its own peer, and the peer alone.
  if (target.clientAddress) {
    const chain = request.headers.get("x-forwarded-for");
    headers.set("x-forwarded-for", chain ? `${chain}, ${target.clientAddress}` : target.clientAddress);
    headers.set("x-real-ip", target.clientAddress);
  }
  headers.set("x-forwarded-host", request.headers.get("host") ?? incoming.host);
  headers.set("x-forwarded-proto", incoming.protocol.replace(":", ""));
  headers.set("x-forwarded-port", incoming.port || (incoming.protocol === "https:" ? "443" : "80"));
  headers.set("x-forwarded-prefix", target.prefix);
  return headers;
}
