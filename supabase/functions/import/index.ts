// Import of our own CSV export or Loop Habit Tracker's (verify_jwt = true: the token is checked
// before this runs).
import { z } from "zod";
import { connectDatabase } from "../_shared/db.ts";
import { readEnv } from "../_shared/env.ts";
import { misconfiguredForBrowser } from "../_shared/browser-cors.ts";
import { createImportApp } from "./app.ts";

const env = readEnv({ SUPABASE_DB_URL: z.string().min(1) });
if (!env.ok) console.error("import is misconfigured:", env.problems.join("; "));
const handle = env.ok
  ? createImportApp(connectDatabase(env.config.SUPABASE_DB_URL)).fetch
  : misconfiguredForBrowser("POST", env.problems);

Deno.serve((request) => handle(request));
