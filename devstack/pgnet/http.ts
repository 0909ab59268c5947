/** A row of net.http_request_queue. */
export interface QueuedRequest {
  id: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array | null;
  timeout_milliseconds: number;
}

/** A row of net._http_response (without `created`, which the database fills in). */
export interface RequestOutcome {
  id: number;
  status_code: number | null;
  content_type: string | null;
  headers: Record<string, string> | null;
  content: string | null;
  /** False for a response; null for a failure, timed out or not, as pg_net's insert_failure_response writes it. */
  timed_out: false | null;
  error_msg: string | null;
}

const USER_AGENT = "pg_net/0.19.5";

/**
 * Performs one queued request as pg_net does with libcurl: redirects are not followed, the
 * timeout covers the whole exchange, and failures become an error message (curl's wording for
 * the common cases) instead of a status code.
 */
export async function performRequest(request: QueuedRequest, stop: AbortSignal): Promise<RequestOutcome> {
  const failed = (error_msg: string): RequestOutcome => ({
    id: request.id,
    status_code: null,
    content_type: null,
    headers: null,
    content: null,
    timed_out: null,
    error_msg,
  });
  const timeout = AbortSignal.timeout(request.timeout_milliseconds);
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, String(value));
  if (!headers.has("user-agent")) headers.set("user-agent", USER_AGENT);
  const started = performance.now();
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.method !== "GET" && request.body ? new Uint8Array(request.body) : undefined,
      redirect: "manual",
      signal: AbortSignal.any([timeout, stop]),
    });
    const content = (await response.text()).replaceAll("\u0000", "");
    return {
      id: request.id,
      status_code: response.status,
      content_type: response.headers.get("content-type"),
      headers: Object.fromEntries(response.headers),
      // insert_success_response (src/core.c) stores an empty body as null.
      content: content === "" ? null : content,
      timed_out: false,
      error_msg: null,
    };
  } catch (error) {
    if (timeout.aborted) {
      const elapsed = (performance.now() - started).toFixed(3);
      return failed(`Timeout of ${request.timeout_milliseconds} ms reached. Total time: ${elapsed} ms`);
    }
    if (stop.aborted) return failed("Request cancelled: the pg_net worker stopped");
    return failed(curlMessage(error));
  }
}

function curlMessage(error: unknown): string {
  // Deno's fetch says "fetch failed" and keeps the transport error in `cause`.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (/connection refused/i.test(message)) return "Couldn't connect to server";
  if (/dns error|failed to lookup|name or service not known|no address/i.test(message)) {
    return "Couldn't resolve host name";
  }
  if (/invalid url|relative url|url scheme/i.test(message)) {
    return "URL using bad/illegal format or missing URL";
  }
  if (/connection reset|connection closed|broken pipe/i.test(message)) {
    return "Failure when receiving data from the peer";
  }
  return message;
}
