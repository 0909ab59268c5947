// Export of the caller's data (verify_jwt = true: the token is checked before this runs).
import { z } from "zod";
import { connectDatabase } from "../_shared/db.ts";
import { readEnv } from "../_shared/env.ts";
import { misconfiguredForBrowser } from "../_shared/browser-cors.ts";
import { createExportApp } from "./app.ts";

const env = readEnv({ SUPABASE_DB_URL: z.string().min(1) });
const handle = env.ok
  ? createExportApp(connectDatabase(env.config.SUPABASE_DB_URL)).fetch
  : misconfiguredForBrowser("GET", env.problems);
if (!env.ok) console.error("export is misconfigured:", env.problems.join("; "));

Deno.serve((request) => handle(request));
