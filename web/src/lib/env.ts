/**
 * The build-time settings; a build without them fails loudly on the first page load. Checked by
 * hand rather than with zod: this module is on every first load, and zod is not (issue 23).
 */
function requiredUrl(value: unknown): string {
  const message = "VITE_SUPABASE_URL must be the project's URL, e.g. http://127.0.0.1:54321";
  if (typeof value !== "string" || !URL.canParse(value)) throw new Error(message);
  if (!["http:", "https:"].includes(new URL(value).protocol)) throw new Error(message);
  return value;
}

function requiredKey(value: unknown): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new Error("VITE_SUPABASE_ANON_KEY must be the project's anon key");
  }
  return value;
}

export const supabaseUrl = requiredUrl(import.meta.env.VITE_SUPABASE_URL).replace(/\/$/, "");
export const supabaseAnonKey = requiredKey(import.meta.env.VITE_SUPABASE_ANON_KEY);
