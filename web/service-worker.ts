import type { Plugin } from "vite";

/** The place in sw.js that names the build; its cache is `habits-shell-<build id>`. */
export const BUILD_ID_PLACEHOLDER = "__HABITS_BUILD_ID__";

/** What the build id reads of each built file. */
export type BuiltFiles = Record<
  string,
  { type: "chunk"; code: string } | { type: "asset"; source: string | Uint8Array }
>;

/**
 * The build's id: a hash of every built file (name and content) and of the worker itself, so the
 * same sources give the same id (no cache thrown away for nothing) and any change gives another.
 */
export async function buildId(files: BuiltFiles, worker: string): Promise<string> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [encoder.encode(worker)];
  for (const fileName of Object.keys(files).sort()) {
    const item = files[fileName]!;
    const content = item.type === "chunk" ? item.code : item.source;
    parts.push(encoder.encode(`\0${fileName}\0`));
    parts.push(typeof content === "string" ? encoder.encode(content) : content);
  }
  const digest = await crypto.subtle.digest("SHA-256", await new Blob(parts as BlobPart[]).arrayBuffer());
  return [...new Uint8Array(digest)].slice(0, 8).map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Emits sw.js (from web/sw.js) with the build's id in its cache name. Each build's worker thus
 * differs, so the browser installs it, and on activation it deletes the caches of older builds,
 * whose hashed files would otherwise stay on the device forever.
 */
export function serviceWorker(): Plugin {
  return {
    name: "habits-service-worker",
    apply: "build",
    async generateBundle(_options, bundle) {
      const path = new URL("./sw.js", import.meta.url).pathname;
      const worker = await this.fs.readFile(path, { encoding: "utf8" });
      if (!worker.includes(BUILD_ID_PLACEHOLDER)) this.error(`sw.js lacks ${BUILD_ID_PLACEHOLDER}`);
      const id = await buildId(bundle as BuiltFiles, worker);
      this.emitFile({ type: "asset", fileName: "sw.js", source: worker.replace(BUILD_ID_PLACEHOLDER, id) });
    },
  };
}
