import type { Plugin } from "vite";

async function gzippedSize(source: string | Uint8Array): Promise<number> {
  const stream = new Blob([source as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/**
 * What a first visit downloads before Today or the sign-in page can paint: the entry chunk, every
 * chunk it imports statically, their CSS (issue 23: at most 150 kB gzipped).
 */
export const MAIN_BUNDLE_BUDGET_KB = 150;

/**
 * Prints the main bundle's gzipped size after `vite build` and fails the build above the budget.
 * Lazy chunks (every page but Today, the API doc viewers, Realtime's client) are not part of it.
 */
export function bundleBudget(): Plugin {
  return {
    name: "habits-bundle-budget",
    apply: "build",
    async generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((item) => item.type === "chunk" && item.isEntry);
      if (!entry || entry.type !== "chunk") return;
      const seen = new Set<string>();
      const visit = (fileName: string) => {
        if (seen.has(fileName)) return;
        const item = bundle[fileName];
        if (!item || item.type !== "chunk") return;
        seen.add(fileName);
        for (const css of item.viteMetadata?.importedCss ?? []) seen.add(css);
        item.imports.forEach(visit);
      };
      visit(entry.fileName);
      let bytes = 0;
      for (const fileName of seen) {
        const item = bundle[fileName];
        if (!item) continue;
        const source = item.type === "chunk" ? item.code : item.source;
        bytes += await gzippedSize(source);
      }
      const kb = bytes / 1000;
      const line = `main bundle: ${
        kb.toFixed(1)
      } kB gzipped (budget ${MAIN_BUNDLE_BUDGET_KB} kB; ${seen.size} files)`;
      console.log(`\n${line}`);
      if (kb > MAIN_BUNDLE_BUDGET_KB) this.error(`${line}: over budget`);
    },
  };
}
