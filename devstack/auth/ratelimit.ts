import type { MiddlewareHandler } from "hono";
import type { AuthConfig } from "./config.ts";
import { AuthError } from "./errors.ts";
import type { AuthEnv } from "./http.ts";

/**
 * A token bucket as GoTrue's limiters (tollbooth over x/time/rate): it starts full with `burst`
 * tokens and refills at `perSecond`; each request takes one, and an empty bucket is a 429.
 */
export class TokenBucket {
  #buckets = new Map<string, { tokens: number; at: number }>();
  constructor(readonly perSecond: number, readonly burst: number) {}

  take(key: string, now = Date.now()): boolean {
    const bucket = this.#buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

const FIVE_MINUTES = 300;
const HOUR = 3600;
/** GoTrue's fixed burst for the per-5-minute limiters. */
const BURST = 30;

/** One bucket set per limited route, sized from the config as GoTrue's NewLimiterOptions does. */
export function createLimiters(config: AuthConfig) {
  const per5m = (limit: number) => new TokenBucket(limit / FIVE_MINUTES, BURST);
  return {
    /** Mails sent, whole server. */
    email: new TokenBucket(config.rateLimitEmailSent / HOUR, config.rateLimitEmailSent),
    anonymous: new TokenBucket(config.rateLimitAnonymousUsers / HOUR, config.rateLimitAnonymousUsers),
    token: per5m(config.rateLimitTokenRefresh),
    verify: per5m(config.rateLimitVerify),
    signup: per5m(config.rateLimitOtp),
    recover: per5m(config.rateLimitOtp),
    resend: per5m(config.rateLimitOtp),
    otp: per5m(config.rateLimitOtp),
    user: per5m(config.rateLimitOtp),
    factorChallenge: new TokenBucket(config.mfaRateLimitChallengeAndVerify / 60, BURST),
    factorVerify: new TokenBucket(config.mfaRateLimitChallengeAndVerify / 60, BURST),
  };
}
export type Limiters = ReturnType<typeof createLimiters>;

export const overRequestRateLimit = () =>
  new AuthError(429, "over_request_rate_limit", "Request rate limit reached");

/** Takes a token for the client's IP or throws GoTrue's 429. */
export function limitRequest(bucket: TokenBucket, clientIp: string): void {
  if (!bucket.take(clientIp)) throw overRequestRateLimit();
}

export function rateLimited(bucket: TokenBucket): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    limitRequest(bucket, clientIp(c.env));
    await next();
  };
}

/** Takes a token from the server-wide mail budget or throws GoTrue's 429. */
export function limitEmailSent(limiters: Limiters): void {
  if (!limiters.email.take("email")) {
    throw new AuthError(429, "over_email_send_rate_limit", "Email rate limit exceeded");
  }
}

export function clientIp(env: AuthEnv["Bindings"] | undefined): string {
  return env?.clientIp ?? "unknown";
}
