import { createClient } from "@supabase/supabase-js";
import type { Database } from "./database.ts";
import { supabaseAnonKey, supabaseUrl } from "./env.ts";
import { timedFetch } from "./timed-fetch.ts";

/**
 * The one Supabase client of the app. PKCE for every e-mail link (sign-up, e-mail change, reset,
 * e-mail sign-in): a link signs in only the browser that started its flow. The landing pages read
 * the URL themselves and refuse tokens in the `#` fragment, so automatic detection is off (with
 * `pkce`, supabase-js would refuse them too, but would also skip loading the stored session).
 * Every request of Auth, the Data API and the functions has a bound (timed-fetch.ts).
 */
export const supabase = createClient<Database>(supabaseUrl, supabaseAnonKey, {
  auth: {
    flowType: "pkce",
    persistSession: true,
    autoRefreshToken: true,
    detectSessionInUrl: false,
  },
  global: { fetch: timedFetch() },
});
