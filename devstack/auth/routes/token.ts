import { Hono } from "hono";
import { z } from "zod";
import { AuthError, badRequest, OAuthError, validationFailed } from "../errors.ts";
import { deleteFlowState, findFlowStateByAuthCode, flowStateExpired } from "../flow_state.ts";
import { type AuthDeps, type AuthEnv, readJson, userAgent } from "../http.ts";
import { passwordMatches } from "../passwords.ts";
import { type AuthMethod, refreshSession, startSession } from "../sessions.ts";
import { pkceMatches } from "../tokens.ts";
import { findUserByEmail, findUserById, isBanned, isConfirmed } from "../users.ts";

const passwordBody = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
});
const refreshBody = z.object({ refresh_token: z.string().nullish() });
const pkceBody = z.object({ auth_code: z.string().nullish(), code_verifier: z.string().nullish() });

const invalidCredentials = () => badRequest("invalid_credentials", "Invalid login credentials");

/** POST /token?grant_type=password | refresh_token | pkce */
export function tokenRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const { config, sql } = deps;
  return new Hono<AuthEnv>().post("/token", async (c) => {
    const grantType = c.req.query("grant_type");
    if (grantType === "password" || grantType === "refresh_token" || grantType === "pkce") {
      deps.limiters.token.limit(c.req.raw);
    }

    if (grantType === "password") {
      const body = await readJson(c, passwordBody);
      if (body.email && body.phone) {
        throw validationFailed("Only an email address or phone number should be provided on login.");
      }
      if (!body.email) {
        if (body.phone) throw badRequest("phone_provider_disabled", "Phone logins are disabled");
        throw validationFailed("missing email or phone");
      }
      if (!config.emailEnabled) {
        throw new AuthError(422, "email_provider_disabled", "Email logins are disabled");
      }
      const user = await findUserByEmail(sql, body.email);
      if (!user) throw invalidCredentials();
      if (isBanned(user)) throw badRequest("user_banned", "User is banned");
      if (!(await passwordMatches(body.password ?? "", user.encrypted_password))) throw invalidCredentials();
      if (!isConfirmed(user)) throw badRequest("email_not_confirmed", "Email not confirmed");
      return c.json(await sql.begin((tx) => startSession(config, tx, user.id, "password", userAgent(c))));
    }

    if (grantType === "refresh_token") {
      const body = await readJson(c, refreshBody);
      if (!body.refresh_token) throw new OAuthError("invalid_request", "refresh_token required");
      return c.json(await refreshSession(config, sql, body.refresh_token, userAgent(c)));
    }

    if (grantType === "pkce") {
      const body = await readJson(c, pkceBody);
      if (!body.auth_code || !body.code_verifier) {
        throw validationFailed("invalid request: both auth code and code verifier should be non-empty");
      }
      const { auth_code: authCode, code_verifier: verifier } = body;
      return c.json(
        await sql.begin(async (tx) => {
          const flow = await findFlowStateByAuthCode(tx, authCode);
          if (!flow || !flow.user_id || !flow.auth_code_issued_at) {
            throw new AuthError(404, "flow_state_not_found", "invalid flow state, no valid flow state found");
          }
          if (flowStateExpired(flow, config.flowStateExpiry)) {
            throw new AuthError(422, "flow_state_expired", "invalid flow state, flow state has expired");
          }
          const user = await findUserById(tx, flow.user_id);
          if (!user) {
            throw new AuthError(404, "flow_state_not_found", "invalid flow state, no valid flow state found");
          }
          if (!(await pkceMatches(flow.code_challenge_method, flow.code_challenge, verifier))) {
            throw badRequest(
              "bad_code_verifier",
              "code challenge does not match previously saved code verifier",
            );
          }
          const method = flow.authentication_method as AuthMethod;
          const session = await startSession(config, tx, user.id, method, userAgent(c));
          await deleteFlowState(tx, flow.id);
          return session;
        }),
      );
    }

    throw validationFailed(`unsupported_grant_type: ${grantType ?? "(none)"}`);
  });
}
