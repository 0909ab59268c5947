import { z } from "zod";

const ClientEnv = z.object({
  VITE_SUPABASE_URL: z.url(
    "VITE_SUPABASE_URL must be the project's URL, e.g. http://127.0.0.1:54321",
  ),
  VITE_SUPABASE_ANON_KEY: z.string().min(
    1,
    "VITE_SUPABASE_ANON_KEY must be the project's anon key",
  ),
});

/** The build-time settings; a build without them fails loudly on the first page load. */
export const clientEnv = ClientEnv.parse({
  VITE_SUPABASE_URL: import.meta.env.VITE_SUPABASE_URL,
  VITE_SUPABASE_ANON_KEY: import.meta.env.VITE_SUPABASE_ANON_KEY,
});

export const supabaseUrl = clientEnv.VITE_SUPABASE_URL.replace(/\/$/, "");
export const supabaseAnonKey = clientEnv.VITE_SUPABASE_ANON_KEY;
