/** Telegram refuses a message longer than this (counted after entity parsing, so raw HTML is safe). */
export const TELEGRAM_TEXT_LIMIT = 4096;

/**
 * Groups `lines` into messages of at most `limit` characters each, joined by newlines, never
 * splitting a line (each line is balanced HTML). `overhead` is kept free in every message for a
 * heading or a page number.
 */
export function pageLines(lines: string[], overhead = 0, limit = TELEGRAM_TEXT_LIMIT): string[][] {
  const budget = limit - overhead;
  const pages: string[][] = [];
  let page: string[] = [];
  let length = 0;
  for (const whole of lines) {
    const line = whole.slice(0, budget);
    if (page.length > 0 && length + 1 + line.length > budget) {
      pages.push(page);
      page = [];
      length = 0;
    }
    length += (page.length > 0 ? 1 : 0) + line.length;
    page.push(line);
  }
  if (page.length > 0) pages.push(page);
  return pages;
}
