import { Bot } from "grammy";

export interface TelegramSettings {
  token: string;
  /** https://api.telegram.org, or a fake Bot API in tests. */
  apiRoot: string;
  /** How long one Bot API call may take before it counts as failed. */
  timeoutSeconds?: number;
}

/** A grammY bot talking to the configured Bot API root, with a bounded request time. */
export function createBot(settings: TelegramSettings): Bot {
  return new Bot(settings.token, {
    client: { apiRoot: settings.apiRoot.replace(/\/$/, ""), timeoutSeconds: settings.timeoutSeconds ?? 10 },
  });
}
