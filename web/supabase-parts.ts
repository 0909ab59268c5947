import type { Plugin } from "vite";

const SRC = new URL("./src/lib/", import.meta.url).pathname;

/** Per importing package: which of its imports the web build answers with a stand-in. */
const REPLACED: Record<string, Record<string, string>> = {
  "/node_modules/@supabase/supabase-js/": {
    "@supabase/realtime-js": `${SRC}realtime-on-demand.ts`,
    "@supabase/storage-js": `${SRC}no-storage.ts`,
  },
  "/node_modules/@supabase/auth-js/dist/module/GoTrueClient.js": {
    "./lib/webauthn": `${SRC}auth-left-out.ts`,
    "./lib/web3/ethereum": `${SRC}auth-left-out.ts`,
  },
};

/**
 * The web build gives supabase-js a few stand-ins, so the first load stays under its budget
 * (issue 23) while the app keeps @supabase/supabase-js: Realtime's code is fetched when a channel
 * first subscribes (src/lib/realtime-on-demand.ts, which imports the real realtime-js); Storage,
 * passkeys and Web3 sign-in, which the app does not use, are left out and refuse any use by name
 * (src/lib/no-storage.ts, src/lib/auth-left-out.ts).
 */
export function supabaseParts(): Plugin {
  return {
    name: "habits-supabase-parts",
    enforce: "pre",
    resolveId(source, importer) {
      if (!importer) return null;
      for (const [where, replaced] of Object.entries(REPLACED)) {
        if (importer.includes(where) && replaced[source]) return replaced[source];
      }
      return null;
    },
  };
}
