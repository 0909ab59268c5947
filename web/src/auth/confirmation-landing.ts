import type { AuthError } from "@supabase/supabase-js";
import { supabase } from "../lib/supabase.ts";
import { translate } from "../i18n/i18n.ts";
import { authErrorSentence } from "./auth-errors.ts";

export type LandingOutcome =
  | { kind: "signed_in" }
  | { kind: "confirmed_elsewhere"; message: string }
  | { kind: "partial"; message: string }
  | { kind: "failed"; message: string };

/**
 * Completes a confirmation link, whichever flow produced it: PKCE (`?code=`, exchanged with the
 * code verifier this browser stored at sign-up) or implicit (tokens in the `#` fragment, e.g. from
 * a link Auth sent without PKCE). Errors come as `error_code`/`error_description` in either part.
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

  const accessToken = fragment.get("access_token");
  const refreshToken = fragment.get("refresh_token");
  if (accessToken && refreshToken) {
    const { error } = await supabase.auth.setSession({
      access_token: accessToken,
      refresh_token: refreshToken,
    });
    return error ? { kind: "failed", message: authErrorSentence(error) } : { kind: "signed_in" };
  }
  return {
    kind: "failed",
    message: translate("This page needs the link from your confirmation e-mail."),
  };
}

/**
 * The e-mail is already confirmed when the code reaches us; only the session is missing when the
 * link was opened in another browser (no code verifier here).
 */
function outcomeOfExchangeError(error: AuthError): LandingOutcome {
  const otherBrowser = error.name === "AuthPKCECodeVerifierMissingError" ||
    error.code === "bad_code_verifier" || error.code === "flow_state_not_found";
  if (otherBrowser) {
    return {
      kind: "confirmed_elsewhere",
      message: translate("Your e-mail is confirmed. Sign in to continue."),
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
