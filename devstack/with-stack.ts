/**
 * Runs a command against a devstack started for it on free ports, then stops the stack:
 *
 *   TEST_DB_URL=postgresql://postgres@127.0.0.1:<port>/postgres \
 *     deno run -A devstack/with-stack.ts deno test -A tests/contract
 *
 * The command gets the stack's variables (SUPABASE_URL, SUPABASE_ANON_KEY,
 * SUPABASE_SERVICE_ROLE_KEY, SUPABASE_DB_URL, MAIL_API_URL, ...) in its environment, so suites
 * written for `supabase start` run unchanged. Exits with the command's exit code.
 */
import { startStack } from "./stack.ts";

const [command, ...args] = Deno.args;
const databaseUrl = Deno.env.get("TEST_DB_URL");
if (!command || !databaseUrl) {
  console.error(
    "usage: TEST_DB_URL=<migrated database> deno run -A devstack/with-stack.ts <command> [args...]",
  );
  Deno.exit(2);
}

const stack = await startStack({ databaseUrl });
let code = 1;
try {
  const child = new Deno.Command(command, { args, env: stack.env, stdin: "null" }).spawn();
  code = (await child.status).code;
} finally {
  await stack.stop();
}
Deno.exit(code);
