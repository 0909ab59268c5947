/**
 * Registers the service worker of the production build (web/sw.js, given the build's id by
 * service-worker.ts), which keeps the app's shell so that Today opens offline from the last load.
 * The dev server goes without.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !("serviceWorker" in navigator)) return;
  globalThis.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch(() => {
      // Without it the app still works online.
    });
  });
}
