/**
 * The length Telegram checks a message's text against: the text after HTML entity parsing (tags
 * gone, `&lt;` `&gt;` `&amp;` `&quot;` and numeric references decoded), in UTF-16 code units.
 * The Bot API counts "1-4096 characters after entities parsing" (core.telegram.org/bots/api#sendmessage)
 * and measures entities in UTF-16 code units (#messageentity); TDLib counts code points
 * (td/telegram/MessageContent.cpp), never more than UTF-16 units, so a text within this length
 * fits either way. Only for HTML this project writes: balanced tags, escaped text.
 */
export function visibleLength(html: string): number {
  return decodeEntities(html.replace(/<[^>]*>/g, "")).length;
}

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|lt|gt|amp|quot);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower in NAMED) return NAMED[lower];
    const code = lower.startsWith("#x") ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * `text` cut to at most `units` UTF-16 code units, never between an emoji's two halves: Telegram
 * refuses a lone surrogate in any string (400 "strings must be encoded in UTF-8", td's
 * CLEAN_INPUT_STRING).
 */
export function cutUtf16(text: string, units: number): string {
  const cut = text.slice(0, units);
  return cut.isWellFormed() ? cut : cut.slice(0, -1);
}

/** `text` as is when it has at most `max` UTF-16 code units, else cut shorter and ending in "…". */
export function shorten(text: string, max: number): string {
  return text.length > max ? `${cutUtf16(text, max - 1)}…` : text;
}
