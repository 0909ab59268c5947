import { createClient } from "@supabase/supabase-js";
import type { Database } from "./database.ts";
import { supabaseAnonKey, supabaseUrl } from "./env.ts";

/**
 * The one Supabase client of the app. PKCE for e-mail links; the confirmation landing page
 * reads the URL itself (it also accepts implicit-flow links, e.g. from a resent e-mail), so
 * automatic detection is off.
 */
export const supabase = createClient<Database>(supabaseUrl, supabaseAnonKey, {
  auth: {
    flowType: "pkce",
    persistSession: true,
    autoRefreshToken: true,
    detectSessionInUrl: false,
  },
});
