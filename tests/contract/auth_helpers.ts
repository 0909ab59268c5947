/** What the Auth contract suites share: supabase-js clients, mail parsing, raw calls. */
import assert from "node:assert/strict";
import { createClient, type Session, type SupabaseClient } from "@supabase/supabase-js";
import { type AuthTestStack, type CaughtMail, mailIdsTo, waitForMail } from "./auth_harness.ts";

/** A redirect target the stack allows (config.toml additional_redirect_urls, or the harness's list). */
export const ALLOWED_REDIRECT = Deno.env.get("AUTH_TEST_REDIRECT_BASE") ?? "http://localhost:3000";

// Letters and digits: supabase/config.toml asks for both (password_requirements = "letters_digits").
export const PASSWORD = "correct horse battery staple 42";

export function uniqueEmail(tag: string): string {
  return `${tag}-${crypto.randomUUID().slice(0, 8)}@habits-devstack.test`;
}

export function client(stack: AuthTestStack, flowType: "implicit" | "pkce" = "implicit"): SupabaseClient {
  return createClient(stack.url, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false, flowType },
    global: { fetch: stack.fetch },
  });
}

export function linkIn(mail: CaughtMail): URL {
  const match = /https?:\/\/\S+\/auth\/v1\/verify\?\S+/.exec(mail.text);
  assert.ok(match, `no confirmation link in mail:\n${mail.text}`);
  return new URL(match[0]);
}

export function otpIn(mail: CaughtMail): string {
  const match = /code: (\d{6})/.exec(mail.text);
  assert.ok(match, `no code in mail:\n${mail.text}`);
  return match[1];
}

export async function follow(stack: AuthTestStack, link: URL): Promise<URL> {
  const response = await stack.fetch(link, { redirect: "manual" });
  await response.body?.cancel();
  assert.equal(response.status, 303);
  const location = response.headers.get("Location");
  assert.ok(location, "303 without Location");
  return new URL(location);
}

/** Signs up with confirmation on and returns the confirmation mail. */
export async function signUpAndGetMail(
  stack: AuthTestStack,
  supabase: SupabaseClient,
  email: string,
  options: { emailRedirectTo?: string; data?: Record<string, unknown> } = {},
): Promise<CaughtMail> {
  const seen = await mailIdsTo(stack, email);
  const { data, error } = await supabase.auth.signUp({ email, password: PASSWORD, options });
  assert.equal(error, null);
  assert.equal(data.session, null, "confirmations are on: no session before the e-mail is confirmed");
  assert.equal(data.user?.email, email);
  return await waitForMail(stack, email, seen);
}

export async function signedIn(
  stack: AuthTestStack,
  email: string,
): Promise<{ supabase: SupabaseClient; session: Session }> {
  const supabase = client(stack);
  const { data, error } = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
  assert.equal(error, null);
  assert.ok(data.session);
  return { supabase, session: data.session };
}

/**
 * Creates a confirmed user through the real sign-up + e-mail link flow. The project's database
 * clears a password typed before the first confirmation (pre-registration,
 * supabase/migrations/*_close_pre_registration.sql), so the user then chooses PASSWORD with the
 * session the link gave, as the web app asks.
 */
export async function confirmedUser(stack: AuthTestStack, tag: string): Promise<string> {
  const email = uniqueEmail(tag);
  const mail = await signUpAndGetMail(stack, client(stack), email);
  const landing = await follow(stack, linkIn(mail));
  await choosePassword(stack, new URLSearchParams(landing.hash.slice(1)).get("access_token"));
  return email;
}

/** PUT /user { password: PASSWORD } with the given session's access token. */
export async function choosePassword(stack: AuthTestStack, accessToken: string | null): Promise<void> {
  assert.ok(accessToken, "no session to choose the password with");
  const response = await rawAuth(stack, "/user", {
    method: "PUT",
    headers: { Authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ password: PASSWORD }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  await response.body?.cancel();
}

export async function rawAuth(
  stack: AuthTestStack,
  path: string,
  init: RequestInit & { versioned?: boolean } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("apikey", stack.anonKey);
  if (!headers.has("Authorization")) headers.set("Authorization", `Bearer ${stack.anonKey}`);
  if (init.versioned !== false) headers.set("X-Supabase-Api-Version", "2024-01-01");
  if (init.body !== undefined) headers.set("Content-Type", "application/json;charset=UTF-8");
  return await stack.fetch(`${stack.url}/auth/v1${path}`, { ...init, headers });
}
