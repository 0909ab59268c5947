/**
 * Telegram's HTML parse mode, as TDLib's parser (td/telegram/MessageEntity.cpp) applies it: the
 * allowed tags, the lenient handling of `&` and `>`, and the error texts with UTF-8 byte offsets.
 * Produces the plain text and its entities (offsets and lengths in UTF-16 code units).
 */

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

export type ParsedHtml = { ok: true; text: string; entities: MessageEntity[] } | {
  ok: false;
  /** The detail after "Bad Request: can't parse entities: ". */
  error: string;
};

const TAG_TYPES: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  span: "spoiler",
  a: "text_link",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  "tg-emoji": "custom_emoji",
};

const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

interface OpenTag {
  name: string;
  /** Where the entity starts in the output (UTF-16 units). */
  start: number;
  attributes: Map<string, string>;
}

const utf8 = new TextEncoder();
const byteOffset = (source: string, index: number) => utf8.encode(source.slice(0, index)).length;

/** Decodes `&...;` at `index`; returns the text and how many source characters it used. */
function decodeEntity(source: string, index: number): [string, number] {
  const match = /^&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{1,10});/.exec(source.slice(index, index + 12));
  if (!match) return ["&", 1];
  const body = match[1];
  if (body.startsWith("#")) {
    const code = body[1] === "x" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    if (code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)) {
      return [String.fromCodePoint(code), match[0].length];
    }
    return ["&", 1];
  }
  const named = NAMED_ENTITIES[body.toLowerCase()];
  return named === undefined ? ["&", 1] : [named, match[0].length];
}

/** Attributes of a start tag body such as `a href="x"`; values may be quoted or bare. */
function parseAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const pattern = /([a-zA-Z_:-][a-zA-Z0-9_:.-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  for (const match of source.matchAll(pattern)) {
    const raw = match[2] ?? match[3] ?? match[4] ?? "";
    attributes.set(match[1].toLowerCase(), raw.replace(/&[^;]{1,10};/g, (e) => decodeEntity(e, 0)[0]));
  }
  return attributes;
}

function validUrl(href: string): string | undefined {
  try {
    const url = new URL(href);
    return ["http:", "https:", "tg:", "mailto:"].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Where the next `<` or `&` at or after `from` is (the source's length when there is none). */
function nextMarkup(source: string, from: number): number {
  const tag = source.indexOf("<", from);
  const entity = source.indexOf("&", from);
  const end = source.length;
  return Math.min(tag < 0 ? end : tag, entity < 0 ? end : entity);
}

export function parseHtml(source: string): ParsedHtml {
  let text = "";
  const entities: MessageEntity[] = [];
  const stack: OpenTag[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index];
    if (char === "&") {
      const [decoded, used] = decodeEntity(source, index);
      text += decoded;
      index += used;
      continue;
    }
    if (char !== "<") {
      // Plain text up to the next tag or entity, in one piece.
      const next = nextMarkup(source, index);
      text += source.slice(index, next);
      index = next;
      continue;
    }
    const tagStart = index;
    if (source[index + 1] === "/") {
      const end = source.indexOf(">", index);
      const name = (end < 0 ? source.slice(index + 2) : source.slice(index + 2, end)).trim().toLowerCase();
      const open = stack.pop();
      if (!open) {
        return { ok: false, error: `Unexpected end tag at byte offset ${byteOffset(source, tagStart)}` };
      }
      if (end < 0 || name !== open.name) {
        return {
          ok: false,
          error:
            `Unmatched end tag at byte offset ${byteOffset(source, tagStart)}, expected "</${open.name}>", ` +
            `found "${end < 0 ? source.slice(index) : source.slice(index, end + 1)}"`,
        };
      }
      const entity = closeEntity(open, text.length);
      if (entity) entities.push(entity);
      index = end + 1;
      continue;
    }
    const nameMatch = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(source.slice(index, index + 40));
    const name = nameMatch?.[1].toLowerCase() ?? "";
    const end = source.indexOf(">", index);
    if (!nameMatch || !(name in TAG_TYPES) || end < 0) {
      return {
        ok: false,
        error: `Unsupported start tag "${name}" at byte offset ${byteOffset(source, tagStart)}`,
      };
    }
    const attributes = parseAttributes(source.slice(index + 1 + name.length, end));
    if (name === "span" && attributes.get("class") !== "tg-spoiler") {
      return {
        ok: false,
        error: `Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(source, tagStart)}`,
      };
    }
    const inside = stack.at(-1)?.name;
    if ((inside === "code" || (inside === "pre" && name !== "code"))) {
      return {
        ok: false,
        error: `Unsupported start tag "${name}" at byte offset ${byteOffset(source, tagStart)}`,
      };
    }
    stack.push({ name, start: text.length, attributes });
    index = end + 1;
  }
  if (stack.length > 0) {
    return { ok: false, error: `Can't find end tag corresponding to start tag "${stack.at(-1)!.name}"` };
  }
  return { ok: true, text, entities: mergePreCode(entities) };
}

function closeEntity(open: OpenTag, end: number): MessageEntity | undefined {
  const length = end - open.start;
  if (length === 0) return undefined;
  const base = { offset: open.start, length };
  switch (open.name) {
    case "a": {
      const url = validUrl(open.attributes.get("href") ?? "");
      return url ? { type: "text_link", ...base, url } : undefined;
    }
    case "code": {
      const language = /^language-(.+)$/.exec(open.attributes.get("class") ?? "")?.[1];
      return { type: "code", ...base, ...(language ? { language } : {}) };
    }
    case "blockquote":
      return { type: open.attributes.has("expandable") ? "expandable_blockquote" : "blockquote", ...base };
    case "tg-emoji": {
      const id = open.attributes.get("emoji-id");
      return id ? { type: "custom_emoji", ...base, custom_emoji_id: id } : undefined;
    }
    default:
      return { type: TAG_TYPES[open.name], ...base };
  }
}

/** `<pre><code class="language-x">` is one pre entity with a language, as Telegram reports it. */
function mergePreCode(entities: MessageEntity[]): MessageEntity[] {
  const result: MessageEntity[] = [];
  for (const entity of entities) {
    const pre = entity.type === "pre"
      ? result.find((e) => e.type === "code" && e.offset === entity.offset && e.length === entity.length)
      : undefined;
    if (pre) {
      result.splice(result.indexOf(pre), 1);
      result.push({
        type: "pre",
        offset: entity.offset,
        length: entity.length,
        ...(pre.language ? { language: pre.language } : {}),
      });
    } else {
      result.push(entity);
    }
  }
  return result.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/** UTF-16 offsets: JavaScript string lengths already count UTF-16 code units. */
export const codePoints = (text: string) => [...text].length;

/**
 * Telegram's text pipeline for sendMessage and editMessageText: empty, over 32 KiB raw, entity
 * parsing, trimming, whitespace only, over 4096 characters. Returns the error description or the
 * parsed text.
 */
export function checkMessageText(
  raw: string,
  parseMode: "HTML" | undefined,
): { ok: true; text: string; entities: MessageEntity[] } | { ok: false; description: string } {
  if (raw.length === 0) return { ok: false, description: "Bad Request: message text is empty" };
  // Three UTF-8 bytes at most per UTF-16 unit: a short text needs no encoding to be within 32 KiB.
  if (raw.length * 3 > 32768 && utf8.encode(raw).length > 32768) {
    return { ok: false, description: "Bad Request: text is too long" };
  }
  let parsed: { text: string; entities: MessageEntity[] } = { text: raw, entities: [] };
  if (parseMode === "HTML") {
    const result = parseHtml(raw);
    if (!result.ok) return { ok: false, description: `Bad Request: can't parse entities: ${result.error}` };
    parsed = result;
  }
  const leading = parsed.text.length - parsed.text.trimStart().length;
  const text = parsed.text.trim();
  if (text.length === 0) return { ok: false, description: "Bad Request: text must be non-empty" };
  // A code point is one or two UTF-16 units: a text of at most 4096 units needs no counting.
  if (text.length > 4096 && codePoints(text) > 4096) {
    return { ok: false, description: "Bad Request: message is too long" };
  }
  const entities = parsed.entities
    .map((e) => {
      const start = Math.max(0, e.offset - leading);
      const end = Math.min(text.length, e.offset + e.length - leading);
      return { ...e, offset: start, length: end - start };
    })
    .filter((e) => e.length > 0);
  return { ok: true, text, entities };
}
