import { Hono } from "hono";
import type { RunningService } from "../service.ts";
import { type AuthOptions, parseAuthOptions } from "./config.ts";
import { connectDatabase } from "./db.ts";
import { apiVersionHeader, AuthError, errorResponse } from "./errors.ts";
import type { AuthDeps, AuthEnv } from "./http.ts";
import { createSmtpMailer, type Mailer } from "./mailer.ts";
import { createLimiters } from "./ratelimit.ts";
import { adminRoutes } from "./routes/admin.ts";
import { metaRoutes } from "./routes/meta.ts";
import { mfaRoutes } from "./routes/mfa.ts";
import { otpRoutes } from "./routes/otp.ts";
import { resendRoutes } from "./routes/resend.ts";
import { signupRoutes } from "./routes/signup.ts";
import { tokenRoutes } from "./routes/token.ts";
import { userRoutes } from "./routes/user.ts";
import { verifyRoutes } from "./routes/verify.ts";

/** The GoTrue subset as a Hono app, served at its root (the gateway strips /auth/v1). */
export function createAuthApp(deps: AuthDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use(apiVersionHeader);
  app.route("/", metaRoutes(deps));
  app.route("/", signupRoutes(deps));
  app.route("/", verifyRoutes(deps));
  app.route("/", tokenRoutes(deps));
  app.route("/", userRoutes(deps));
  app.route("/", resendRoutes(deps));
  app.route("/", otpRoutes(deps));
  app.route("/", adminRoutes(deps));
  app.route("/", mfaRoutes(deps));
  app.notFound((c) =>
    errorResponse(
      c,
      new AuthError(
        404,
        "not_found",
        `${c.req.method} ${c.req.path} is not implemented by the devstack Auth server`,
      ),
    )
  );
  app.onError((err, c) => errorResponse(c, err));
  return app;
}

export interface StartAuthOverrides {
  /** Replaces the SMTP mailer, e.g. to capture mails in-process. */
  mailer?: Mailer;
}

/** Starts the Auth server in-process. `port: 0` picks a free port; `url` reports the real one. */
export async function startAuth(
  options: AuthOptions,
  overrides: StartAuthOverrides = {},
): Promise<RunningService> {
  const config = parseAuthOptions(options);
  const sql = connectDatabase(config.databaseUrl);
  try {
    await sql`select 1 from auth.users limit 1`;
    await sql`select 1 from auth.mfa_factors, auth.mfa_challenges, auth.mfa_amr_claims limit 1`;
  } catch (err) {
    await sql.end({ timeout: 1 });
    throw new Error(
      `devstack auth: cannot use the auth schema at ${
        redact(config.databaseUrl)
      } (load devstack/postgres/bootstrap/11_auth_mfa.sql into it)`,
      {
        cause: err,
      },
    );
  }
  const mailer = overrides.mailer ?? createSmtpMailer(config);
  const app = createAuthApp({ config, sql, mailer, limiters: createLimiters(config) });
  const server = Deno.serve(
    { hostname: config.hostname, port: config.port, onListen: () => {} },
    (request, info) => app.fetch(request, { clientIp: info.remoteAddr.hostname }),
  );
  const host = config.hostname.includes(":") ? `[${config.hostname}]` : config.hostname;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${server.addr.port}`,
    close() {
      closing ??= (async () => {
        await server.shutdown();
        mailer.close();
        await sql.end({ timeout: 5 });
      })();
      return closing;
    },
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
