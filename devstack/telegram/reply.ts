/** What the Telegram stand-in's routes answer, and the shapes they share with the server. */

export interface Reply {
  status: number;
  body: unknown;
  contentType?: string;
}

/** Development helpers outside Telegram's protocol, offered on the chat page when given. */
export interface DevHooks {
  /**
   * Sends one reminder of the person's chosen habit now (the habit does not change); resolves to a
   * line to show, with the habits to choose from when none was chosen and there are several.
   */
  remindNow?: (
    chatId: number,
    habitId?: string,
  ) => Promise<{ message: string; habits?: { id: string; action: string; time: string }[] }>;
}

export interface Counters {
  callsPerMethod: Record<string, number>;
  deliveredPerChat: Record<string, number>;
  /** 429s answered because the bot exceeded the limits. */
  rateLimited: number;
  /** Every 429 answered (limits and chaos). */
  tooManyRequests: number;
  /**
   * sendMessage calls that arrived while a retry_after announced by an earlier 429 (to any
   * caller: Telegram's limits are the bot's) had not passed yet.
   */
  sendsInsideRetryAfter: number;
  minChatGapMs: number | null;
  maxPerSecond: number;
  webhook: { attempts: number; failures: number };
}
