import { z } from "zod";
import { readEnv } from "../_shared/env.ts";

export const deleteAccountEnv = {
  SUPABASE_URL: z.string().url(),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1),
  SUPABASE_DB_URL: z.string().min(1),
  // Optional: without a bot token the account is still deleted, only the goodbye is skipped.
  TELEGRAM_BOT_TOKEN: z.string().min(1).optional(),
  TELEGRAM_API_ROOT: z.string().url().default("https://api.telegram.org"),
  DELETE_ACCOUNT_GOODBYE_TIMEOUT_SECONDS: z.coerce.number().int().min(1)
    .default(5),
};

export type DeleteAccountConfig = z.infer<z.ZodObject<typeof deleteAccountEnv>>;

export const readDeleteAccountConfig = () => readEnv(deleteAccountEnv);
