/**
 * A method's parameters as the Bot API accepts them: query string, form-urlencoded, JSON or
 * multipart. Form values are strings, so each parameter's declared kind says how to read it
 * (objects as JSON strings, booleans as true/1/yes). A parameter the stand-in does not
 * implement is refused by name rather than ignored.
 */
import { badRequest } from "./errors.ts";

export type Kind = "integer" | "string" | "boolean" | "object" | "array" | "chat_id";
export type ParamSpec = Record<string, Kind>;
export type Params = Record<string, unknown>;

const utf8 = new TextDecoder();

/** Reads the raw parameters of a request (URL query plus body). */
export async function readRawParams(
  url: URL,
  contentType: string,
  body: Uint8Array,
): Promise<Record<string, unknown>> {
  const raw: Record<string, unknown> = url.search === "" ? {} : Object.fromEntries(url.searchParams);
  const type = contentType.split(";")[0].trim().toLowerCase();
  if (body.length === 0) return raw;
  if (type === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(utf8.decode(body));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw badRequest("JSON object expected");
    }
    // A fresh object from JSON.parse: merged with the query string only when there is one.
    return url.search === ""
      ? parsed as Record<string, unknown>
      : { ...raw, ...parsed as Record<string, unknown> };
  }
  if (type === "application/x-www-form-urlencoded") {
    return { ...raw, ...Object.fromEntries(new URLSearchParams(utf8.decode(body))) };
  }
  if (type === "multipart/form-data") {
    const form = await new Response(body as Uint8Array<ArrayBuffer>, {
      headers: { "content-type": contentType },
    }).formData();
    for (const [name, value] of form) {
      if (typeof value !== "string") {
        throw badRequest(`file uploads (parameter "${name}") are not supported by the stand-in`);
      }
      raw[name] = value;
    }
    return raw;
  }
  throw badRequest(`unsupported Content-Type "${type}"`);
}

function coerce(name: string, kind: Kind, value: unknown): unknown {
  const wrong = () =>
    badRequest(`parameter "${name}" is not a valid ${kind === "chat_id" ? "chat identifier" : kind}`);
  switch (kind) {
    case "integer": {
      const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof number !== "number" || !Number.isInteger(number)) throw wrong();
      return number;
    }
    case "chat_id": {
      if (typeof value === "string" && value.startsWith("@")) return value;
      const number = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof number !== "number" || !Number.isInteger(number)) throw wrong();
      return number;
    }
    case "string":
      if (typeof value === "number") return String(value);
      if (typeof value !== "string") throw wrong();
      return value;
    case "boolean":
      if (typeof value === "boolean") return value;
      if (typeof value === "string") return ["true", "1", "yes"].includes(value.toLowerCase());
      if (typeof value === "number") return value !== 0;
      throw wrong();
    case "object":
    case "array": {
      let parsed = value;
      if (typeof value === "string") {
        try {
          parsed = JSON.parse(value);
        } catch {
          throw wrong();
        }
      }
      if (
        kind === "array"
          ? !Array.isArray(parsed)
          : (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
      ) {
        throw wrong();
      }
      return parsed;
    }
  }
}

/** Checks names and kinds against the method's spec; `null` counts as absent, as in Telegram. */
export function checkParams(method: string, spec: ParamSpec, raw: Record<string, unknown>): Params {
  const params: Params = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === null || value === undefined) continue;
    const kind = spec[name];
    if (!kind) throw badRequest(`parameter "${name}" of ${method} is not supported by the stand-in`);
    params[name] = coerce(name, kind, value);
    if (!wellFormed(params[name])) throw badRequest("strings must be encoded in UTF-8");
  }
  return params;
}

/**
 * Every string in a value is well-formed UTF-16: a lone surrogate has no UTF-8 encoding, and
 * Telegram refuses it in any parameter (td/telegram/Requests.cpp CLEAN_INPUT_STRING: 400
 * "Strings must be encoded in UTF-8").
 */
function wellFormed(value: unknown): boolean {
  if (typeof value === "string") return value.isWellFormed();
  if (Array.isArray(value)) return value.every(wellFormed);
  if (value && typeof value === "object") return Object.values(value).every(wellFormed);
  return true;
}
