import type { AuthConfig } from "./config.ts";

/**
 * Whether GoTrue v2.196.0 may send a browser to `candidate` (internal/utilities/request.go,
 * IsRedirectURLValid), read on the URL as Go's url.Parse sees it:
 * - never with ASCII control characters or spaces, nor an http(s) URL Go cannot parse;
 * - SITE_URL's host with its scheme and port, or any port when that host is loopback (RFC 8252
 *   §7.3: native apps listen on variable loopback ports);
 * - never a host written as one decimal number; an IP-literal host only when it is loopback
 *   (any scheme, any port); an http(s) host only of letters, digits, dots and hyphens;
 * - otherwise a match of the allow-list (additional_redirect_urls), fragment removed, with
 *   GoTrue's glob rules: `*` stays within one host label or path segment, `**` crosses them, `?` is
 *   one such character, `{a,b}` alternatives and `[...]` classes.
 */
export function isRedirectAllowed(config: AuthConfig, candidate: string): boolean {
  // deno-lint-ignore no-control-regex
  if (!candidate || /[\x00-\x20\x7f]/.test(candidate)) return false;
  const site = goUrl(config.siteUrl);
  if (!site) return false;
  const target = goUrl(candidate);
  if (!target && /^https?:\/\//i.test(candidate)) return false;
  if (target) {
    if (
      target.hostname === site.hostname && target.scheme === site.scheme &&
      (target.port === site.port || isLoopbackHost(target.hostname))
    ) {
      return true;
    }
    if (/^[0-9]+$/.test(target.hostname)) return false;
    const ip = ipLiteral(target.hostname);
    if (ip !== null) return ip.loopback;
    const isHttp = target.scheme === "http" || target.scheme === "https";
    if (isHttp && !/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(target.hostname)) return false;
  }
  const withoutFragment = candidate.split("#")[0];
  return config.uriAllowList.some((pattern) => globToRegExp(pattern).test(withoutFragment));
}

interface GoUrl {
  scheme: string;
  hostname: string;
  port: string;
}

/**
 * Scheme, host name and port as Go's url.Parse reports them (scheme lower-cased, host name as
 * written: no WHATWG normalisation of `127.1` or `2130706433`), or null where Go fails to parse.
 */
function goUrl(raw: string): GoUrl | null {
  const schemed = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(raw);
  const scheme = schemed ? schemed[1].toLowerCase() : "";
  const rest = schemed ? schemed[2] : raw;
  if (!schemed && /^[^/?#]*:/.test(raw)) return null; // "first path segment in URL cannot contain colon"
  if (!rest.startsWith("//")) return { scheme, hostname: "", port: "" };
  const authority = rest.slice(2).split(/[/?#]/, 1)[0];
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  let hostname: string;
  let port = "";
  if (hostPort.startsWith("[")) {
    const close = hostPort.indexOf("]");
    if (close === -1) return null;
    hostname = hostPort.slice(1, close);
    const after = hostPort.slice(close + 1);
    if (after !== "" && !after.startsWith(":")) return null;
    port = after.slice(1);
  } else {
    const colon = hostPort.lastIndexOf(":");
    hostname = colon === -1 ? hostPort : hostPort.slice(0, colon);
    port = colon === -1 ? "" : hostPort.slice(colon + 1);
  }
  if (!/^[0-9]*$/.test(port)) return null;
  try {
    hostname = decodeURIComponent(hostname);
  } catch {
    return null;
  }
  return { scheme, hostname, port };
}

/** Go's net.ParseIP: a dotted quad (no leading zeros) or an IPv6 address; null for anything else. */
function ipLiteral(hostname: string): { loopback: boolean } | null {
  const quad = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname);
  if (quad) {
    const parts = quad.slice(1);
    if (parts.some((part) => Number(part) > 255 || (part.length > 1 && part.startsWith("0")))) return null;
    return { loopback: parts[0] === "127" };
  }
  if (!hostname.includes(":") || !/^[0-9a-fA-F:.]+$/.test(hostname)) return null;
  let normalised: string;
  try {
    normalised = new URL(`http://[${hostname}]/`).hostname;
  } catch {
    return null;
  }
  // ::1, and IPv4-mapped 127.0.0.0/8 (Go's IsLoopback looks through the mapping).
  return { loopback: normalised === "[::1]" || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(normalised) };
}

/** GoTrue's isLocalhost: the name localhost or a loopback IP literal. */
function isLoopbackHost(hostname: string): boolean {
  return hostname.toLowerCase() === "localhost" || ipLiteral(hostname)?.loopback === true;
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
