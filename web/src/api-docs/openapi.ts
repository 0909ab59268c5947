import { translate } from "../i18n/i18n.ts";
import { supabaseAnonKey, supabaseUrl } from "../lib/env.ts";
import { supabase } from "../lib/supabase.ts";

/** Headers for the Data API: the anon key, plus the user's token when signed in. */
export async function dataApiHeaders(): Promise<Record<string, string>> {
  const { data } = await supabase.auth.getSession();
  return {
    apikey: supabaseAnonKey,
    Authorization: `Bearer ${data.session?.access_token ?? supabaseAnonKey}`,
  };
}

/** How long the document may take before the page says the server cannot be reached. */
const DOCUMENT_TIMEOUT_MS = 20_000;

/** PostgREST's OpenAPI document of the Data API (GET /rest/v1/). */
export async function fetchOpenApiDocument(): Promise<unknown> {
  const headers = { ...await dataApiHeaders(), Accept: "application/openapi+json, application/json" };
  // A failed fetch says only "Failed to fetch" (a timeout: "signal timed out"): say it as a sentence.
  const response = await fetch(`${supabaseUrl}/rest/v1/`, {
    headers,
    signal: AbortSignal.timeout(DOCUMENT_TIMEOUT_MS),
  }).catch(() => {
    throw new Error(translate("The server cannot be reached. Check your connection and try again."));
  });
  if (!response.ok) {
    throw new Error(
      translate("The API description could not be loaded (HTTP {{status}}). Try again later.", {
        status: response.status,
      }),
    );
  }
  return await response.json();
}
