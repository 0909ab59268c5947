import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The SPA reads VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY from the repository's .env (one
// file for the whole project) or from the environment of the build.
export default defineConfig({
  envDir: "..",
  plugins: [react()],
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1", port: 4173, strictPort: true },
  build: {
    // Swagger UI is loaded only on the API docs page and is large by nature.
    chunkSizeWarningLimit: 2000,
  },
});
