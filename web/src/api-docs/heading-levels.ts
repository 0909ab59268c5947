/**
 * ReDoc writes its own heading levels (h1 for the API, h2 for operations, then h5, skipping h3 and
 * h4) under the page's h1. Each heading in `root`, in document order, gets the level it has in the
 * page's outline: one below the page's h1 at most, and never more than one deeper than the
 * heading before it (aria-level, which assistive technology and axe read). ReDoc renders lazily,
 * so the levels are set again whenever its content changes; returns the function that stops that.
 */
export function keepHeadingLevels(root: HTMLElement): () => void {
  const apply = () => {
    let previous = 1;
    for (const heading of root.querySelectorAll<HTMLElement>("h1, h2, h3, h4, h5, h6")) {
      const own = Number(heading.tagName.slice(1)) + 1;
      const level = Math.max(2, Math.min(own, previous + 1));
      if (heading.getAttribute("aria-level") !== String(level)) {
        heading.setAttribute("aria-level", String(level));
      }
      previous = level;
    }
  };
  apply();
  const observer = new MutationObserver(apply);
  observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}
