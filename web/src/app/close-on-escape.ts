import { type RefObject, useEffect } from "react";

/** While `open`, Escape closes (the phone menu) and gives the focus back to the button that opened it. */
export function useCloseOnEscape(open: boolean, close: () => void, opener: RefObject<HTMLElement | null>) {
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      close();
      opener.current?.focus();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [open, close, opener]);
}
