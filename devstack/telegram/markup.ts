/** Validation of inline keyboards and link preview options, with Telegram's error texts. */
import { badRequest } from "./errors.ts";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "./model.ts";

const utf8 = new TextEncoder();

export function checkReplyMarkup(value: unknown): InlineKeyboardMarkup {
  const markup = value as Record<string, unknown>;
  const other = Object.keys(markup).find((k) => k !== "inline_keyboard");
  if (other) {
    throw badRequest(
      `reply_markup field "${other}" is not supported by the stand-in (inline keyboards only)`,
    );
  }
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows) || rows.some((row) => !Array.isArray(row))) {
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  const checked = (rows as unknown[][]).map((row) => row.map(checkButton));
  return { inline_keyboard: checked };
}

function checkButton(value: unknown): InlineKeyboardButton {
  if (!value || typeof value !== "object") {
    throw badRequest("can't parse inline keyboard button: Object expected");
  }
  const button = value as Record<string, unknown>;
  const unsupported = Object.keys(button).find((k) => !["text", "callback_data", "url"].includes(k));
  if (unsupported) {
    throw badRequest(`inline keyboard button field "${unsupported}" is not supported by the stand-in`);
  }
  if (typeof button.text !== "string") {
    throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  }
  const hasData = typeof button.callback_data === "string";
  const hasUrl = typeof button.url === "string";
  if (hasData === hasUrl || (hasData && button.callback_data === "")) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  if (hasData) {
    if (utf8.encode(button.callback_data as string).length > 64) throw badRequest("BUTTON_DATA_INVALID");
    return { text: button.text, callback_data: button.callback_data as string };
  }
  let host = "";
  try {
    host = new URL(button.url as string).hostname;
  } catch {
    // invalid below
  }
  if (!host.includes(".")) {
    throw badRequest(`inline keyboard button URL '${button.url}' is invalid: Wrong HTTP URL`);
  }
  return { text: button.text, url: button.url as string };
}

const PREVIEW_KEYS = ["is_disabled", "url", "prefer_small_media", "prefer_large_media", "show_above_text"];

export function checkLinkPreviewOptions(value: unknown): Record<string, unknown> {
  const options = value as Record<string, unknown>;
  const unknown = Object.keys(options).find((k) => !PREVIEW_KEYS.includes(k));
  if (unknown) throw badRequest(`link_preview_options field "${unknown}" is not supported by the stand-in`);
  return options;
}

export const sameMarkup = (a: InlineKeyboardMarkup | undefined, b: InlineKeyboardMarkup | undefined) =>
  JSON.stringify(a?.inline_keyboard.length ? a : undefined) ===
    JSON.stringify(b?.inline_keyboard.length ? b : undefined);
