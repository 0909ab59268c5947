import { type ComponentType, lazy } from "react";

/**
 * A page whose code is fetched when it is first shown (its own chunk, kept by the service worker
 * for offline use). `pick` names the page among the module's exports. A failed fetch throws to
 * the PageErrorBoundary around every page, which offers Try again.
 */
export function lazyPage<M>(load: () => Promise<M>, pick: (module: M) => ComponentType) {
  return lazy(async () => ({ default: pick(await load()) }));
}
