import type { Plugin } from "vite";

/** Larger files (the API doc viewers) are fetched when their page is opened, not ahead. */
export const PRECACHE_MAX_BYTES = 200_000;

/**
 * Writes precache.json: every built file under the size limit, lazy page chunks included, so the
 * service worker can keep them from the first visit and My habits, History or Settings open
 * offline even when they were never opened online on this device.
 */
export function precacheList(): Plugin {
  return {
    name: "habits-precache-list",
    apply: "build",
    generateBundle(_options, bundle) {
      const files = Object.values(bundle)
        .filter((item) => {
          const size = item.type === "chunk" ? item.code.length : item.source.length;
          return size <= PRECACHE_MAX_BYTES && !item.fileName.endsWith(".map");
        })
        .map((item) => `/${item.fileName}`)
        .sort();
      this.emitFile({ type: "asset", fileName: "precache.json", source: JSON.stringify(files) });
    },
  };
}
