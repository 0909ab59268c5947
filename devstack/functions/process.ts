import { READY_MARKER } from "./runner.ts";

export interface SpawnSettings {
  /** The deno executable. */
  deno: string;
  /** Working directory of the function processes. */
  cwd: string;
  /**
   * The function's own deno.json (or import map), as the edge runtime uses it; without one the
   * function runs with no configuration at all, so a dependency missing from it fails here too.
   */
  config?: string;
  /** The whole environment of the function process. */
  env: Record<string, string>;
  /** How long a function may take to start listening (first runs may download packages). */
  bootTimeoutMs: number;
  /** Where the function's output goes, one line at a time. */
  log: (line: string, stream: "stdout" | "stderr") => void;
}

const RUNNER = new URL("./runner.ts", import.meta.url);

/**
 * A connection per request. Deno's fetch sends a request again, once, on a new connection when a
 * pooled keep-alive connection breaks before the answer (denoland/deno#32566): with several
 * requests in flight to a process that dies, some reached a fresh process too, and a connect
 * error on that second try looked like a request that had never got through. A connection that
 * is never pooled is never retried, so a connect error means the process never saw the request.
 */
const unpooledClient = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });

/** The edge runtime's error bodies. */
export function bootError(): Response {
  return Response.json({ code: "BOOT_ERROR", message: "Worker failed to boot (please check logs)" }, {
    status: 503,
  });
}
export function workerError(): Response {
  return Response.json(
    { code: "WORKER_ERROR", message: "Function exited due to an error (please check logs)" },
    { status: 500 },
  );
}

interface Running {
  child: Deno.ChildProcess;
  port: number;
  alive: boolean;
  /** Resolves once the process has exited and its output is drained. */
  done: Promise<void>;
}

/**
 * One edge function's Deno process: started on the first request, restarted on the next request
 * after it exits, stopped with the host.
 */
export class FunctionProcess {
  #running: Running | undefined;
  #starting: Promise<Running> | undefined;
  #stopped = false;

  constructor(readonly name: string, readonly entrypoint: string, private readonly settings: SpawnSettings) {}

  get importMap(): string | undefined {
    return this.settings.config;
  }

  /** Forwards a request to the function (path and query as received by the host). */
  async fetch(request: Request): Promise<Response> {
    const incoming = new URL(request.url);
    const headers = new Headers(request.headers);
    for (
      const name of [
        "host",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "content-length",
        "accept-encoding",
      ]
    ) {
      headers.delete(name);
    }
    // Buffered, so that a request that never reached a crashed process can be sent again.
    const hasBody = request.body !== null && request.method !== "GET" && request.method !== "HEAD";
    const body = hasBody ? await request.arrayBuffer() : undefined;
    const send = (running: Running) =>
      fetch(`http://127.0.0.1:${running.port}${incoming.pathname}${incoming.search}`, {
        method: request.method,
        headers,
        body,
        redirect: "manual",
        client: unpooledClient,
      });

    for (let attempt = 1;; attempt++) {
      let running: Running;
      try {
        running = await this.#ensureRunning();
      } catch (error) {
        this.settings.log(`failed to boot: ${error instanceof Error ? error.message : error}`, "stderr");
        return bootError();
      }
      try {
        const response = await send(running);
        const responseHeaders = new Headers(response.headers);
        responseHeaders.delete("connection");
        responseHeaders.delete("transfer-encoding");
        return new Response(response.body, { status: response.status, headers: responseHeaders });
      } catch (error) {
        // A process that is exiting refuses connections before its exit is noticed: give the exit
        // a moment to register, then (if the request never got through) start a new process.
        // A request the process received is never sent again: its death is the answer, as on the
        // edge runtime (tests/devstack/functions_test.ts cites its source).
        const exited = await settlesWithin(running.done, 500);
        if (exited && attempt === 1 && isConnectError(error)) continue;
        this.settings.log(`request failed: ${error instanceof Error ? error.message : error}`, "stderr");
        return workerError();
      }
    }
  }

  /**
   * Sends `signal` to the running process, as an operator or the platform would (SIGKILL: a crash;
   * SIGSTOP/SIGCONT: a freeze). False when no process is running.
   */
  signal(signal: Deno.Signal): boolean {
    if (!this.#running?.alive) return false;
    this.#running.child.kill(signal);
    return true;
  }

  /** Stops the process (it starts again on the next request unless `stop` was final). */
  async restart(): Promise<void> {
    const running = this.#running ?? await this.#starting?.catch(() => undefined);
    this.#running = undefined;
    this.#starting = undefined;
    if (running) await terminate(running);
  }

  /** Stops the process for good. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.restart();
  }

  #ensureRunning(): Promise<Running> {
    if (this.#stopped) return Promise.reject(new Error("the functions host is stopping"));
    if (this.#running?.alive) return Promise.resolve(this.#running);
    this.#running = undefined;
    this.#starting ??= this.#spawn().then(
      (running) => {
        this.#running = running;
        this.#starting = undefined;
        return running;
      },
      (error) => {
        this.#starting = undefined;
        throw error;
      },
    );
    return this.#starting;
  }

  async #spawn(): Promise<Running> {
    const { settings } = this;
    const args = [
      "run",
      "--no-prompt",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-sys",
      "--allow-write",
    ];
    // Never the project's root deno.json or lock file: only what a deploy would carry.
    args.push("--no-lock");
    if (settings.config) args.push("--config", settings.config);
    else args.push("--no-config");
    args.push(RUNNER.href);
    const child = new Deno.Command(settings.deno, {
      args,
      cwd: settings.cwd,
      clearEnv: true,
      env: { ...settings.env, DEVSTACK_FUNCTION_ENTRY: new URL(`file://${this.entrypoint}`).href },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();

    let resolvePort: (port: number) => void;
    const listening = new Promise<number>((resolve) => (resolvePort = resolve));
    const stdout = pumpLines(child.stdout, (line) => {
      const port = line.startsWith(READY_MARKER) ? Number(line.slice(READY_MARKER.length + 1)) : NaN;
      if (Number.isInteger(port) && port > 0) resolvePort(port);
      else settings.log(line, "stdout");
    });
    const stderr = pumpLines(child.stderr, (line) => {
      if (!isToolNoise(line)) settings.log(line, "stderr");
    });
    const running: Running = { child, port: 0, alive: true, done: Promise.resolve() };
    const exited = child.status.then((status) => {
      running.alive = false;
      // Ctrl-C in a terminal reaches the whole process group: SIGINT (exit code 130) is a stop.
      const stoppedBySignal = status.signal === "SIGTERM" || status.signal === "SIGINT" ||
        status.code === 130;
      if (!this.#stopped && !status.success && !stoppedBySignal) {
        settings.log(`process exited with code ${status.code}`, "stderr");
      }
      return status;
    });
    running.done = Promise.all([exited, stdout, stderr]).then(() => {});

    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([
      listening.then((port) => ({ port })),
      exited.then((status) => ({ error: `process exited with code ${status.code} before listening` })),
      new Promise<{ error: string }>((resolve) => {
        timer = setTimeout(
          () => resolve({ error: `not listening after ${settings.bootTimeoutMs} ms` }),
          settings.bootTimeoutMs,
        );
      }),
    ]);
    clearTimeout(timer);
    if ("error" in outcome) {
      await terminate(running);
      throw new Error(outcome.error);
    }
    running.port = outcome.port;
    return running;
  }
}

/** Whether `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settled = await Promise.race([
    promise.then(() => true, () => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  return settled;
}

/** A fetch error raised before the request reached the server. */
function isConnectError(error: unknown): boolean {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error && /connection refused|tcp connect error/i.test(cause.message);
}

async function terminate(running: Running): Promise<void> {
  if (running.alive) {
    try {
      running.child.kill("SIGTERM");
    } catch {
      // already gone
    }
    if (!(await settlesWithin(running.done, 3000))) {
      try {
        running.child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  await running.done;
}

/**
 * Deno's package set-up lines ("Initialize x@1.2.3", "Download …") and Node's deprecation
 * warnings from npm packages (e.g. punycode under grammY's node-fetch): not the function's output.
 */
function isToolNoise(line: string): boolean {
  return /^(Initialize|Download) \S/.test(line) ||
    /^\(node:\d+\) \[DEP\d+\] DeprecationWarning:/.test(line) ||
    /^\(Use `node --trace-deprecation/.test(line);
}

/** Calls `onLine` for every line of a byte stream; resolves when the stream ends. */
async function pumpLines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  let buffer = "";
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    for (const line of lines) onLine(line);
  }
  if (buffer) onLine(buffer);
}
