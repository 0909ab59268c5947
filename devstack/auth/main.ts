// Starts the devstack Auth server from GoTrue's environment variables:
//   deno run -A devstack/auth/main.ts
import { authConfigFromEnv } from "./config.ts";
import { startAuth } from "./server.ts";

const config = authConfigFromEnv();
const service = await startAuth(config);
console.log(`devstack auth listening on ${service.url} (issuer ${config.jwtIssuer})`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    await service.close();
    Deno.exit(0);
  });
}
