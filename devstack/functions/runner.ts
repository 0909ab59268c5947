/**
 * Runs one edge function in its own Deno process, as the functions host starts it:
 *
 *   deno run <permissions> devstack/functions/runner.ts
 *   env DEVSTACK_FUNCTION_ENTRY=file:///…/supabase/functions/<name>/index.ts
 *
 * A function's index.ts calls `Deno.serve(handler)` without a port, as on Supabase's edge
 * runtime. This module wraps `Deno.serve` so that the function's server binds 127.0.0.1 on a free
 * port and reports it on stdout (a line `READY_MARKER <port>`), then imports the function.
 * Nothing here depends on the project's import map, so the runner starts fast.
 */

export const READY_MARKER = "__devstack_function_listening__";

const entry = Deno.env.get("DEVSTACK_FUNCTION_ENTRY");
if (import.meta.main) {
  if (!entry) {
    console.error("runner: DEVSTACK_FUNCTION_ENTRY is not set");
    Deno.exit(2);
  }
  // The function sees only Supabase's variables, not the runner's.
  Deno.env.delete("DEVSTACK_FUNCTION_ENTRY");
  await runFunction(entry);
}

type ServeHandler = Deno.ServeHandler<Deno.NetAddr>;
type ServeOptions = Partial<Deno.ServeTcpOptions> & { handler?: ServeHandler };

/** What the edge runtime answers when a function's handler throws. */
function workerError(error: unknown): Response {
  console.error(error);
  return Response.json(
    { code: "WORKER_ERROR", message: "Function exited due to an error (please check logs)" },
    { status: 500 },
  );
}

/** Normalizes the three `Deno.serve` call shapes into options and a handler. */
function serveArguments(args: unknown[]): { options: ServeOptions; handler: ServeHandler } {
  if (typeof args[0] === "function") return { options: {}, handler: args[0] as ServeHandler };
  const options = (args[0] ?? {}) as ServeOptions;
  const handler = (typeof args[1] === "function" ? args[1] : options.handler) as ServeHandler | undefined;
  if (!handler) throw new TypeError("Deno.serve: a handler is required");
  return { options, handler };
}

async function runFunction(entryUrl: string): Promise<void> {
  const originalServe = Deno.serve.bind(Deno);
  let server: Deno.HttpServer | undefined;

  const serve = (...args: unknown[]): Deno.HttpServer => {
    if (server) throw new Error("devstack: a function may call Deno.serve only once");
    const { options, handler } = serveArguments(args);
    server = originalServe({
      ...options,
      hostname: "127.0.0.1",
      port: 0,
      onListen(address) {
        console.log(`${READY_MARKER} ${address.port}`);
      },
      onError: options.onError ?? workerError,
    } as Deno.ServeTcpOptions, handler);
    return server;
  };
  Object.defineProperty(Deno, "serve", { value: serve, writable: true, configurable: true });
  // The edge runtime's global for background work after the response; here the process lives on.
  Object.defineProperty(globalThis, "EdgeRuntime", {
    value: {
      waitUntil(promise: Promise<unknown>) {
        promise.catch((error) => console.error("EdgeRuntime.waitUntil:", error));
      },
    },
    configurable: true,
  });

  const module = await import(entryUrl);
  // `export default { fetch }` (the `deno serve` style) is served too.
  if (!server && typeof module.default?.fetch === "function") {
    serve((request: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>) =>
      module.default.fetch(request, info)
    );
  }
  if (!server) {
    console.error(`runner: ${entryUrl} neither called Deno.serve nor exported default { fetch }`);
    Deno.exit(1);
  }
}
