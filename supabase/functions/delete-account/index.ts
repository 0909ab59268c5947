// Deletes the signed-in user's account (verify_jwt on: the functions gateway checks the JWT first).
import { createClient } from "@supabase/supabase-js";
import { authenticate } from "../_shared/caller.ts";
import { connectDatabase } from "../_shared/db.ts";
import { misconfiguredForBrowser } from "../_shared/browser-cors.ts";
import { createSendBudgetStore, SendBudget, sendWithinBudget } from "../_shared/send-budget.ts";
import { callBotApi, type TelegramSettings } from "../_shared/telegram.ts";
import { pickLanguage } from "../_shared/language.ts";
import { createDeleteAccountApp } from "./app.ts";
import { GOODBYE } from "./goodbye.ts";
import { readDeleteAccountConfig } from "./config.ts";

/** How long the goodbye waits for its slot in the bot's send budget before it is given up. */
const GOODBYE_WAIT_LIMIT_MS = 5_000;

const env = readDeleteAccountConfig();

let handle: (request: Request) => Response | Promise<Response>;
if (env.ok) {
  const { config } = env;
  const admin = createClient(
    config.SUPABASE_URL,
    config.SUPABASE_SERVICE_ROLE_KEY,
    {
      auth: {
        persistSession: false,
        autoRefreshToken: false,
        detectSessionInUrl: false,
      },
    },
  );
  const db = connectDatabase(config.SUPABASE_DB_URL, 2);
  // The goodbye is one more sender of the bot: it takes its slot in the bot's one send budget.
  const budget = new SendBudget(createSendBudgetStore(db));
  const telegram: TelegramSettings | null = config.TELEGRAM_BOT_TOKEN
    ? {
      token: config.TELEGRAM_BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      timeoutSeconds: config.DELETE_ACCOUNT_GOODBYE_TIMEOUT_SECONDS,
    }
    : null;
  const app = createDeleteAccountApp({
    authenticate: (request) => authenticate(db, request),
    async linkedChat(userId) {
      const [row] = await db<{ telegram_chat_id: string | null; language: string | null }[]>`
        select telegram_chat_id, language from public.profiles where id = ${userId}`;
      return row?.telegram_chat_id
        ? { chatId: Number(row.telegram_chat_id), language: pickLanguage(row.language, undefined) }
        : null;
    },
    async deleteUser(userId) {
      const { error } = await admin.auth.admin.deleteUser(userId);
      if (error) throw error;
    },
    async sayGoodbye({ chatId, language }) {
      if (!telegram) return;
      try {
        await sendWithinBudget(
          budget,
          String(chatId),
          GOODBYE_WAIT_LIMIT_MS,
          () => callBotApi(telegram, "sendMessage", { chat_id: chatId, text: GOODBYE[language] }),
        );
      } finally {
        // The account is gone: its chat keeps no trace here, not even the goodbye's send slot.
        await db`delete from private.telegram_chat_send_slots where chat_id = ${chatId}`;
      }
    },
    canSayGoodbye: telegram !== null,
  });
  handle = (request) => app.fetch(request);
} else {
  console.error("delete-account is misconfigured:", env.problems.join("; "));
  handle = misconfiguredForBrowser("POST", env.problems);
}

Deno.serve((request) => handle(request));
