import type { AuthConfig } from "./config.ts";

/**
 * Where GoTrue may send a browser after an e-mail link: SITE_URL's scheme, host and port (any
 * path), or a match of the allow-list (additional_redirect_urls) with GoTrue's glob rules: `*`
 * stays within one host label or path segment, `**` crosses them, `?` is one such character,
 * `{a,b}` alternatives and `[...]` classes. Stricter than GoTrue in one respect (issue 13): other
 * ports on a loopback SITE_URL do not match. URLs with control characters or spaces never match.
 */
export function isRedirectAllowed(config: AuthConfig, candidate: string): boolean {
  // deno-lint-ignore no-control-regex
  if (!candidate || /[\x00-\x20\x7f]/.test(candidate)) return false;
  let target: URL;
  try {
    target = new URL(candidate);
  } catch {
    return false;
  }
  const site = new URL(config.siteUrl);
  const isHttp = target.protocol === "http:" || target.protocol === "https:";
  if (isHttp && target.protocol === site.protocol && target.host === site.host && !target.username) {
    return true;
  }
  const withoutFragment = candidate.split("#")[0];
  return config.uriAllowList.some((pattern) =>
    pattern === withoutFragment || globToRegExp(pattern).test(withoutFragment)
  );
}

/** Where to send the user after an e-mail link: redirect_to if allowed, else the Referer if allowed, else SITE_URL. */
export function chooseRedirect(config: AuthConfig, redirectTo: string | undefined, referer?: string): string {
  if (redirectTo && isRedirectAllowed(config, redirectTo)) return redirectTo;
  if (referer && isRedirectAllowed(config, referer)) return referer;
  return config.siteUrl;
}

const cache = new Map<string, RegExp>();

/** gobwas/glob with '.' and '/' as separators, as GoTrue compiles URI_ALLOW_LIST entries. */
function globToRegExp(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let source = "";
  let inAlternatives = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === "\\" && i + 1 < pattern.length) source += escape(pattern[++i]);
    else if (char === "*" && pattern[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (char === "*") source += "[^./]*";
    else if (char === "?") source += "[^./]";
    else if (char === "{") {
      inAlternatives++;
      source += "(?:";
    } else if (char === "}" && inAlternatives) {
      inAlternatives--;
      source += ")";
    } else if (char === "," && inAlternatives) source += "|";
    else if (char === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end === -1) source += "\\[";
      else {
        const body = pattern.slice(i + 1, end);
        source += body.startsWith("!") ? `[^${body.slice(1)}]` : `[${body}]`;
        i = end;
      }
    } else source += escape(char);
  }
  const compiled = new RegExp(`^${source}$`);
  cache.set(pattern, compiled);
  return compiled;
}

function escape(char: string): string {
  return char.replace(/[.+^${}()|[\]\\*?]/g, "\\$&");
}
