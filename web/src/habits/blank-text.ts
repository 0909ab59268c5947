/**
 * The database's private.trim_blank (migration 20261207120100_invisible_text.sql), for instant
 * feedback: text without Unicode White_Space, Default_Ignorable_Code_Point and control characters
 * at either end, keeping the variation selectors and tag characters that end an emoji ("❤️").
 * tests/functions/habit_text_parity_test.ts holds both to the same answer for every code point.
 */
const LEADING_BLANK = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}]+/u;
const TRAILING_BLANK = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}]+$/u;
const EMOJI_MODIFIERS = /^[\u180B-\u180D\u180F\uFE00-\uFE0F\u{E0020}-\u{E007F}\u{E0100}-\u{E01EF}]*/u;

export function trimBlank(text: string): string {
  const trimmed = text.replace(LEADING_BLANK, "");
  const tail = TRAILING_BLANK.exec(trimmed);
  if (!tail) return trimmed;
  return trimmed.slice(0, tail.index) + EMOJI_MODIFIERS.exec(tail[0])![0];
}

/** Characters as the database counts them (code points, not UTF-16 units). */
export function characterCount(text: string): number {
  return [...text].length;
}
