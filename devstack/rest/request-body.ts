/** The request body: size-limited, JSON only, parsed without losing the original text. */
import { ApiError, invalidBody } from "./errors.ts";

export function tooLarge(limit: number): ApiError {
  return new ApiError(
    413,
    "PGRST102",
    "Request body too large",
    `The body exceeds the limit of ${limit} bytes.`,
  );
}

/** Reads the body as text, refusing more than `limit` bytes (413) before buffering them. */
export async function readBodyText(req: Request, limit: number): Promise<string> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    await req.body?.cancel();
    throw tooLarge(limit);
  }
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalidBody("Empty or invalid json", "The body is not valid UTF-8.");
  }
}

/** Only JSON bodies are accepted (PostgREST also takes CSV and forms; the devstack does not). */
export function checkContentType(headers: Headers): void {
  const type = headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (!type || type === "application/json" || type === "application/vnd.pgrst.object+json") return;
  throw new ApiError(
    415,
    "PGRST107",
    `None of these media types are available: ${type}`,
    "The devstack Data API accepts application/json request bodies only.",
  );
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === "") throw invalidBody();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidBody("Empty or invalid json", error instanceof Error ? error.message : null);
  }
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
