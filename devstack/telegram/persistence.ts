/**
 * The stand-in's memory between runs: its people, chats, messages and the next ids (users,
 * messages, callbacks, updates), in one JSON file in the start command's data folder. Real
 * Telegram never forgets a person and never reuses an id; neither does the stand-in, so chats
 * stored in the database before a restart still reach their person afterwards.
 */
import type { BotApi } from "./bot.ts";
import type { ModelSnapshot } from "./model.ts";

interface Saved extends ModelSnapshot {
  nextUpdateId: number;
}

/** Loads the file into the stand-in (if there is one) and saves every change; returns a final save. */
export function persistChats(api: BotApi, file: string): { flush: () => void } {
  let saved: Saved | undefined;
  try {
    saved = JSON.parse(Deno.readTextFileSync(file));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      console.error(`telegram: ${file} is unreadable (${error}); starting with nobody`);
    }
  }
  if (saved) {
    api.model.restore(saved);
    api.updates.nextUpdateId = saved.nextUpdateId;
  } else {
    // A fresh data folder: ids from the clock, so they differ from any earlier folder's.
    api.model.startUserIdsAt(Math.floor(Date.now() / 1000));
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const data: Saved = { ...api.model.snapshot(), nextUpdateId: api.updates.nextUpdateId };
    try {
      Deno.writeTextFileSync(`${file}.tmp`, JSON.stringify(data));
      Deno.renameSync(`${file}.tmp`, file);
    } catch (error) {
      console.error(`telegram: could not save the chats to ${file}: ${error}`);
    }
  };
  const previous = api.onChange;
  api.onChange = (chatId) => {
    previous(chatId);
    timer ??= setTimeout(flush, 200);
  };
  return { flush };
}
