import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { bundleBudget } from "./bundle-budget.ts";
import { precacheList } from "./precache-list.ts";
import { serviceWorker } from "./service-worker.ts";
import { redocLocalOnly } from "./src/api-docs/redoc-local-only.ts";
import { supabaseParts } from "./supabase-parts.ts";

// The SPA reads VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY from the repository's .env (one
// file for the whole project) or from the environment of the build.
export default defineConfig({
  envDir: "..",
  plugins: [react(), supabaseParts(), bundleBudget(), precacheList(), serviceWorker(), redocLocalOnly()],
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1", port: 4173, strictPort: true },
  build: {
    // Swagger UI and ReDoc load only on their pages and are large by nature; the main bundle's
    // budget is checked by bundleBudget().
    chunkSizeWarningLimit: 2000,
    // Every browser the app supports preloads modules natively; the polyfill would cost every first load.
    modulePreload: { polyfill: false },
  },
});
