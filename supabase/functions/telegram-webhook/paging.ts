import { cutUtf16, visibleLength } from "../_shared/telegram-length.ts";

/**
 * Telegram refuses a message longer than this, counted on the text after entity parsing (Bot API
 * sendMessage: "1-4096 characters after entities parsing"), so `&amp;` counts as one character.
 */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** Telegram refuses raw text over 32 KiB before it parses entities ("text is too long"). */
export const TELEGRAM_RAW_TEXT_BYTES = 32768;

const utf8 = new TextEncoder();

/**
 * Groups `lines` into messages of at most `limit` characters each as Telegram counts them (after
 * HTML parsing, in UTF-16 code units), joined by newlines, never splitting a line (each line is
 * balanced HTML). `overhead` (in the same units) is kept free in every message for a heading or a
 * page number. The raw HTML of a page also stays within Telegram's 32 KiB.
 */
export function pageLines(lines: string[], overhead = 0, limit = TELEGRAM_TEXT_LIMIT): string[][] {
  const budget = limit - overhead;
  // The heading's raw HTML is short; 1 KiB is kept for it.
  const byteBudget = TELEGRAM_RAW_TEXT_BYTES - 1024;
  const pages: string[][] = [];
  let page: string[] = [];
  let length = 0;
  let bytes = 0;
  for (const whole of lines) {
    const line = fitLine(whole, budget);
    const lineLength = visibleLength(line);
    const lineBytes = utf8.encode(line).length;
    if (page.length > 0 && (length + 1 + lineLength > budget || bytes + 1 + lineBytes > byteBudget)) {
      pages.push(page);
      page = [];
      length = 0;
      bytes = 0;
    }
    length += (page.length > 0 ? 1 : 0) + lineLength;
    bytes += (page.length > 0 ? 1 : 0) + lineBytes;
    page.push(line);
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

/** A line longer than a whole page (no habit's is) loses its markup and is cut to fit. */
function fitLine(line: string, budget: number): string {
  if (visibleLength(line) <= budget) return line;
  // Raw text is never shorter than what it shows, so `budget` raw code units show at most `budget`.
  return cutUtf16(line.replace(/<[^>]*>/g, ""), budget).replace(/&[^;]*$/, "");
}
