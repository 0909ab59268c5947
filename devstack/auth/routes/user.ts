import { Hono } from "hono";
import { validationFailed } from "../errors.ts";
import { type AuthDeps, type AuthEnv, requireUser } from "../http.ts";
import { logout, type LogoutScope } from "../sessions.ts";
import { findIdentities, userJson } from "../users.ts";

const SCOPES = new Set<string>(["global", "local", "others"]);

/** GET /user and POST /logout: the calls made with a user's access token. */
export function userRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const authenticated = requireUser(deps);
  return new Hono<AuthEnv>()
    .get("/user", authenticated, async (c) => {
      const user = c.get("user");
      return c.json(userJson(user, await findIdentities(deps.sql, user.id)));
    })
    .post("/logout", authenticated, async (c) => {
      const scope = c.req.query("scope") || "global";
      if (!SCOPES.has(scope)) throw validationFailed(`Unsupported logout scope "${scope}"`);
      await deps.sql.begin((tx) => logout(tx, scope as LogoutScope, c.get("user").id, c.get("sessionId")));
      return c.body(null, 204);
    });
}
