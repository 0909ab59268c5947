import type { AuthError } from "@supabase/supabase-js";
import { supabase } from "../lib/supabase.ts";
import { translate } from "../i18n/i18n.ts";
import { authErrorSentence } from "./auth-errors.ts";

export type LandingOutcome =
  | { kind: "signed_in" }
  | { kind: "confirmed_elsewhere"; message: string }
  | { kind: "not_started_here"; message: string }
  | { kind: "partial"; message: string }
  | { kind: "failed"; message: string };

/**
 * Completes a link from one of Auth's e-mails. Only a PKCE `?code=` becomes a session, exchanged
 * with the code verifier this browser stored when it started the flow (sign-up, e-mail change,
 * reset, e-mail sign-in): a link nobody here asked for cannot sign this browser in. Tokens in the
 * `#` fragment are never accepted (anyone can put their own there), and the current session stays
 * as it was. Errors come as `error_code`/`error_description` in either part.
 */
async function completeLanding(url: URL): Promise<LandingOutcome> {
  const query = url.searchParams;
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ""));
  const errorCode = query.get("error_code") ?? fragment.get("error_code");
  const errorDescription = query.get("error_description") ??
    fragment.get("error_description");
  if (
    errorCode || errorDescription || query.get("error") || fragment.get("error")
  ) {
    return {
      kind: "failed",
      message: authErrorSentence({
        code: errorCode,
        message: errorDescription ?? translate("The link did not work."),
      }),
    };
  }

  // An e-mail change with two confirmations: the first link only says so.
  if (fragment.get("message")) {
    return {
      kind: "partial",
      message: translate("One address is confirmed. Now open the link we sent to the other address."),
    };
  }

  const code = query.get("code");
  if (code) {
    const { error } = await supabase.auth.exchangeCodeForSession(code);
    if (!error) return { kind: "signed_in" };
    return outcomeOfExchangeError(error);
  }

  if (fragment.get("access_token") || fragment.get("refresh_token")) {
    // Out of the address bar and the history: the tokens are someone's session.
    history.replaceState(history.state, "", url.pathname + url.search);
    return {
      kind: "not_started_here",
      message: translate(
        "This link was not started in this browser, so it cannot sign you in here. Nothing has changed: if you were signed in, you still are.",
      ),
    };
  }
  return {
    kind: "failed",
    message: translate("This page needs the link from your confirmation e-mail."),
  };
}

/**
 * Auth confirms the address before it hands out the code, so the e-mail is confirmed; only the
 * session is missing when the link was opened in another browser (no code verifier here, or
 * another flow's), or after the flow expired.
 */
function outcomeOfExchangeError(error: AuthError): LandingOutcome {
  const otherBrowser = error.name === "AuthPKCECodeVerifierMissingError" ||
    error.code === "bad_code_verifier" || error.code === "flow_state_not_found" ||
    error.code === "flow_state_expired";
  if (otherBrowser) {
    return {
      kind: "confirmed_elsewhere",
      message: translate(
        "Your e-mail is confirmed. This browser did not start that request, so it is not signed in here. Sign in to continue; if you have just signed up, sign in with a code from e-mail and choose your password.",
      ),
    };
  }
  return { kind: "failed", message: authErrorSentence(error) };
}

// A code can be exchanged once; React may mount the landing twice (StrictMode), so each URL is
// completed once and its outcome shared.
const landings = new Map<string, Promise<LandingOutcome>>();

export function completeLandingOnce(href: string): Promise<LandingOutcome> {
  let landing = landings.get(href);
  if (!landing) {
    landing = completeLanding(new URL(href));
    landings.set(href, landing);
  }
  return landing;
}
