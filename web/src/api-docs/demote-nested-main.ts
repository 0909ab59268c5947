import { type RefObject, useEffect } from "react";

/**
 * Swagger UI renders its own <main> elements (the operations, the schemas) inside the app's
 * <main>, which gives the page several main landmarks (axe landmark-no-duplicate-main,
 * landmark-main-is-top-level). Inside `container`, each becomes a labelled region instead, as
 * Swagger UI (re)renders them.
 */
export function useDemoteNestedMain(container: RefObject<HTMLElement | null>, label: string) {
  useEffect(() => {
    const root = container.current;
    if (!root) return;
    const demote = () => {
      for (const main of root.querySelectorAll("main:not([role])")) {
        main.setAttribute("role", "region");
        if (!main.hasAttribute("aria-label")) main.setAttribute("aria-label", label);
      }
    };
    demote();
    const observer = new MutationObserver(demote);
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [container, label]);
}
