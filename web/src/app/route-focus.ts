import { type RefObject, useEffect, useRef } from "react";
import { useLocation } from "react-router";

/** How long a new page may take to show its heading (a lazy page, its data) before we give up. */
const HEADING_WAIT_MS = 3000;

/**
 * After a page change (signing in, opening a form, saving), the keyboard focus moves to the new
 * page's heading, as a screen reader user expects; otherwise it would drop to the document body.
 * The first page of a visit keeps the browser's own focus. Pages that load lazily or wait for
 * their data get their heading a moment later, so the heading is awaited.
 */
export function useFocusHeadingOnRouteChange(main: RefObject<HTMLElement | null>) {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const container = main.current;
    if (!container) return;
    const focusHeading = () => {
      // A page that already moved the focus inside itself (a form's first field) keeps it.
      if (container.contains(document.activeElement) && document.activeElement !== container) return true;
      const heading = container.querySelector<HTMLElement>("h1");
      if (!heading) return false;
      if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: false });
      return true;
    };
    if (focusHeading()) return;
    const observer = new MutationObserver(() => {
      if (focusHeading()) observer.disconnect();
    });
    observer.observe(container, { childList: true, subtree: true });
    const timer = setTimeout(() => observer.disconnect(), HEADING_WAIT_MS);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
    };
  }, [pathname, main]);
}
