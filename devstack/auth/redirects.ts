import type { AuthConfig } from "./config.ts";

/**
 * GoTrue's redirect rule: a URL on SITE_URL's host, or one matching the allow-list (exact, or a
 * glob where `*` stays within one host label or path segment and `**` crosses them).
 */
export function isRedirectAllowed(config: AuthConfig, candidate: string): boolean {
  let target: URL;
  try {
    target = new URL(candidate);
  } catch {
    return false;
  }
  if (target.hostname === new URL(config.siteUrl).hostname) return true;
  return config.uriAllowList.some((pattern) =>
    pattern === candidate || globToRegExp(pattern).test(candidate)
  );
}

/** Where to send the user after an e-mail link: redirect_to if allowed, else the Referer if allowed, else SITE_URL. */
export function chooseRedirect(config: AuthConfig, redirectTo: string | undefined, referer?: string): string {
  if (redirectTo && isRedirectAllowed(config, redirectTo)) return redirectTo;
  if (referer && isRedirectAllowed(config, referer)) return referer;
  return config.siteUrl;
}

function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === "*" && pattern[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (char === "*") source += "[^./]*";
    else if (char === "?") source += "[^./]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}
