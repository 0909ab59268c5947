/**
 * Builds the SPA (web/) for a given Supabase URL and serves the build like a static host does:
 * files as they are, gzipped for a browser that accepts it (as every static host and CDN
 * serves text), every other path answered with index.html (client-side routes).
 */
import { extname, join } from "node:path";
import { gzipSync } from "node:zlib";

const WEB_DIR = new URL("../../../web/", import.meta.url).pathname;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".map": "application/json",
};

async function run(command: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  const output = await new Deno.Command(command, {
    args,
    cwd: WEB_DIR,
    env,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!output.success) {
    const decoder = new TextDecoder();
    throw new Error(
      `${command} ${args.join(" ")} failed:\n${decoder.decode(output.stdout)}\n${
        decoder.decode(output.stderr)
      }`,
    );
  }
}

/**
 * The production bundle of web/ (`vite build`, as `npm run build` makes it) for the given Supabase
 * settings, into `outDir`. `npm run build` would type-check first, but the test command does that
 * once (`npm run typecheck`), so each test only bundles.
 */
export async function buildSpa(
  options: { supabaseUrl: string; anonKey: string; outDir: string },
): Promise<void> {
  try {
    await Deno.stat(join(WEB_DIR, "node_modules"));
  } catch {
    await run("npm", ["ci", "--no-audit", "--no-fund"]);
  }
  const vite = join(WEB_DIR, "node_modules", ".bin", "vite");
  await run(vite, ["build", "--outDir", options.outDir, "--emptyOutDir"], {
    VITE_SUPABASE_URL: options.supabaseUrl,
    VITE_SUPABASE_ANON_KEY: options.anonKey,
  });
}

/** Text types a static host compresses; images (PNG) are compressed already. */
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".svg", ".json", ".webmanifest", ".map"]);

/**
 * The file's answer: gzipped at zlib's best level, as a host serves files it compressed ahead (the
 * build's size report counts at the default level; Deno's zlib at its best comes within 1 %), when
 * the browser accepts it and the type is text; each file is compressed once.
 */
function fileResponse(
  body: Uint8Array<ArrayBuffer>,
  name: string,
  request: Request,
  gzipped: Map<string, Uint8Array<ArrayBuffer>>,
): Response {
  const type = extname(name);
  const headers = new Headers({
    "content-type": CONTENT_TYPES[type] ?? "application/octet-stream",
    vary: "accept-encoding",
  });
  const acceptsGzip = /\bgzip\b/.test(request.headers.get("accept-encoding") ?? "");
  if (!acceptsGzip || !COMPRESSIBLE.has(type)) return new Response(body, { headers });
  let compressed = gzipped.get(name);
  if (!compressed) gzipped.set(name, compressed = new Uint8Array(gzipSync(body, { level: 9 })));
  headers.set("content-encoding", "gzip");
  return new Response(compressed, { headers });
}

export interface SpaServer {
  url: string;
  close(): Promise<void>;
}

export function serveSpa(root: string, port = 0): SpaServer {
  const abort = new AbortController();
  const gzipped = new Map<string, Uint8Array<ArrayBuffer>>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, signal: abort.signal, onListen: () => {} },
    async (request) => {
      const path = decodeURIComponent(new URL(request.url).pathname);
      const file = path.endsWith("/") || path.includes("..") ? "index.html" : path.slice(1);
      for (const candidate of [file, "index.html"]) {
        try {
          const body = await Deno.readFile(join(root, candidate));
          return fileResponse(body, candidate, request, gzipped);
        } catch (error) {
          if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.IsADirectory)) {
            throw error;
          }
        }
      }
      return new Response("not found", { status: 404 });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    async close() {
      abort.abort();
      await server.finished;
    },
  };
}

/** A port that was free a moment ago (the SPA's URL must be known before the stack starts). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
