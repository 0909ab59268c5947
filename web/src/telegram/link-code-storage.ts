import type { LinkCode } from "./telegram-api.ts";

/** A link code and when this tab asked for it. */
export type PendingLinkCode = LinkCode & { requestedAt: string };

const KEY = "habits.telegram-link-code";

/** The last link code of this tab while it is valid, so a reload does not spend another one. */
export function loadLinkCode(): PendingLinkCode | undefined {
  try {
    const stored = sessionStorage.getItem(KEY);
    const code = stored ? JSON.parse(stored) as PendingLinkCode : undefined;
    return code && new Date(code.expiresAt).getTime() > Date.now() ? code : undefined;
  } catch {
    return undefined;
  }
}

export function saveLinkCode(code: PendingLinkCode | undefined): void {
  try {
    if (code) sessionStorage.setItem(KEY, JSON.stringify(code));
    else sessionStorage.removeItem(KEY);
  } catch {
    // No storage: the code lives as long as the page.
  }
}
