import type { MiddlewareHandler } from "hono";
import type { AuthConfig } from "./config.ts";
import { AuthError } from "./errors.ts";

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

/**
 * A request limiter as GoTrue's performRateLimiting (internal/api/middleware.go) applies it: with
 * GOTRUE_RATE_LIMIT_HEADER set, one bucket per value of that header; a request without the header,
 * or any request when no header is configured (as under `supabase start`), is not limited at all.
 */
export class RequestLimiter {
  #bucket: TokenBucket;
  constructor(readonly header: string, perSecond: number, burst: number) {
    this.#bucket = new TokenBucket(perSecond, burst);
  }

  /** Takes a token for the request's key or throws GoTrue's 429 over_request_rate_limit. */
  limit(request: Request): void {
    if (this.header === "") return;
    const key = request.headers.get(this.header);
    if (!key) return;
    if (!this.#bucket.take(key)) throw overRequestRateLimit();
  }
}

/** One limiter per limited route, sized from the config as GoTrue's NewLimiterOptions does. */
export function createLimiters(config: AuthConfig) {
  const header = config.rateLimitHeader;
  const per5m = (limit: number) => new RequestLimiter(header, limit / FIVE_MINUTES, BURST);
  return {
    /** Mails sent: one bucket for the whole server, whatever the header (GoTrue's Email limiter). */
    email: new TokenBucket(config.rateLimitEmailSent / HOUR, config.rateLimitEmailSent),
    anonymous: new RequestLimiter(
      header,
      config.rateLimitAnonymousUsers / HOUR,
      config.rateLimitAnonymousUsers,
    ),
    token: per5m(config.rateLimitTokenRefresh),
    verify: per5m(config.rateLimitVerify),
    signup: per5m(config.rateLimitOtp),
    recover: per5m(config.rateLimitOtp),
    resend: per5m(config.rateLimitOtp),
    otp: per5m(config.rateLimitOtp),
    user: per5m(config.rateLimitOtp),
    factorChallenge: new RequestLimiter(header, config.mfaRateLimitChallengeAndVerify / 60, BURST),
    factorVerify: new RequestLimiter(header, config.mfaRateLimitChallengeAndVerify / 60, BURST),
  };
}
export type Limiters = ReturnType<typeof createLimiters>;

export const overRequestRateLimit = () =>
  new AuthError(429, "over_request_rate_limit", "Request rate limit reached");

/** GoTrue's limitHandler as a middleware. */
export function rateLimited(limiter: RequestLimiter): MiddlewareHandler {
  return async (c, next) => {
    limiter.limit(c.req.raw);
    await next();
  };
}

/** Takes a token from the server-wide mail budget or throws GoTrue's 429. */
export function limitEmailSent(limiters: Limiters): void {
  if (!limiters.email.take("email")) {
    throw new AuthError(429, "over_email_send_rate_limit", "Email rate limit exceeded");
  }
}
