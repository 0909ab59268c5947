import { Hono } from "hono";
import { z } from "zod";
import { sendConfirmation, validatePkceParams } from "../confirmation.ts";
import { isPostgresError } from "../db.ts";
import { AuthError, badRequest, unexpectedFailure, validationFailed } from "../errors.ts";
import { createFlowState } from "../flow_state.ts";
import { type AuthDeps, type AuthEnv, readJson, userAgent, validateEmail } from "../http.ts";
import { checkPasswordStrength, hashPassword } from "../passwords.ts";
import { chooseRedirect } from "../redirects.ts";
import { startSession } from "../sessions.ts";
import {
  confirmUser,
  fakeUserJson,
  findIdentities,
  findUserByEmail,
  findUserById,
  insertAnonymousUser,
  insertUserWithIdentity,
  isConfirmed,
  userJson,
  type UserRow,
} from "../users.ts";

const signupBody = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
  code_challenge: z.string().nullish(),
  code_challenge_method: z.string().nullish(),
});

export const signupDisabled = () =>
  new AuthError(422, "signup_disabled", "Signups not allowed for this instance");

/** POST /signup: e-mail + password sign-up, with a confirmation mail unless autoconfirm is on. */
export function signupRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const { config, sql } = deps;
  return new Hono<AuthEnv>().post("/signup", async (c) => {
    const body = await readJson(c, signupBody);
    if (!body.email && !body.phone) {
      if (!config.anonymousUsersEnabled) {
        throw new AuthError(422, "anonymous_provider_disabled", "Anonymous sign-ins are disabled");
      }
      deps.limiters.anonymous.limit(c.req.raw);
      if (config.disableSignup) throw signupDisabled();
      const session = await sql.begin(async (tx) => {
        const id = crypto.randomUUID();
        await insertAnonymousUser(tx, id, body.data ?? {});
        return await startSession(config, tx, id, "anonymous", userAgent(c));
      });
      return c.json(session);
    }
    deps.limiters.signup.limit(c.req.raw);
    if (config.disableSignup) throw signupDisabled();
    // GoTrue's validateSignupParams comes before the provider checks.
    if (!body.password) throw validationFailed("Signup requires a valid password");
    checkPasswordStrength(config, body.password);
    if (body.email && body.phone) {
      throw validationFailed("Only an email address or phone number should be provided on signup.");
    }
    const challengeMethod = validatePkceParams(body.code_challenge_method, body.code_challenge);
    if (body.phone && !body.email) throw badRequest("phone_provider_disabled", "Phone signups are disabled");
    if (!config.emailEnabled) throw badRequest("email_provider_disabled", "Email signups are disabled");
    const email = validateEmail(body.email);
    const data = body.data ?? {};
    const redirectTo = chooseRedirect(config, c.req.query("redirect_to"), c.req.header("Referer"));

    const existing = await findUserByEmail(sql, email);
    if (existing && isConfirmed(existing)) {
      if (config.mailerAutoconfirm) {
        throw new AuthError(422, "user_already_exists", "User already registered");
      }
      return c.json(fakeUserJson(email, data));
    }
    // bcrypt is slow on purpose: hash before opening the transaction.
    const encryptedPassword = existing ? null : await hashPassword(body.password);

    const answer = await sql.begin(async (tx) => {
      let user: UserRow;
      if (existing) {
        // Unconfirmed: the claimed identity is unproven, so the row is left as it is.
        user = existing;
      } else {
        const id = crypto.randomUUID();
        try {
          await insertUserWithIdentity(tx, {
            id,
            email,
            encryptedPassword: encryptedPassword as string,
            userMetadata: data,
          });
        } catch (err) {
          if (isPostgresError(err)) {
            throw Object.assign(unexpectedFailure("Database error saving new user"), { cause: err });
          }
          throw err;
        }
        user = await findUserById(tx, id) as UserRow;
      }

      if (config.mailerAutoconfirm) {
        await confirmUser(tx, user.id);
        return { session: await startSession(config, tx, user.id, "password", userAgent(c)) };
      }
      if (challengeMethod) await createFlowState(tx, user.id, challengeMethod, body.code_challenge as string);
      await sendConfirmation(deps, tx, user, challengeMethod !== null, redirectTo);
      const saved = await findUserById(tx, user.id) as UserRow;
      return { user: userJson(saved, await findIdentities(tx, user.id)) };
    });
    return c.json("session" in answer ? answer.session : answer.user);
  });
}
