/**
 * What supabase-js gets as `@supabase/storage-js` in the web build (web/supabase-parts.ts): the
 * app keeps no files in Supabase Storage, so its client (about 7 kB gzipped) is left out of the
 * first load (issue 23). supabase-js builds a StorageClient on start; any use of it fails loudly.
 */
const REFUSAL = "Supabase Storage is not part of this web app's build (see web/supabase-parts.ts)";

export class StorageApiError extends Error {}

export class StorageClient {
  constructor() {
    return new Proxy(this, {
      get(_target, property) {
        if (property === "then") return undefined; // not a promise
        throw new Error(`${REFUSAL}: storage.${String(property)}`);
      },
    });
  }
}
