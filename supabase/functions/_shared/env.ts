import { z } from "zod";

/** The outcome of reading a function's environment: its config, or what is wrong with it. */
export type EnvResult<T> = { ok: true; config: T } | { ok: false; problems: string[] };

/**
 * Reads the variables a schema names from the environment. A function that is missing a secret
 * keeps serving and says which one (instead of crashing at import, which only shows up in logs).
 */
export function readEnv<T extends z.ZodRawShape>(shape: T): EnvResult<z.infer<z.ZodObject<T>>> {
  const schema = z.object(shape);
  const values = Object.fromEntries(Object.keys(shape).map((name) => [name, Deno.env.get(name)]));
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
  };
}

/** The 500 answer of a function whose environment is incomplete. */
export function misconfiguredResponse(problems: string[]): Response {
  return Response.json(
    { error: "function_misconfigured", message: "The function's environment is incomplete.", problems },
    { status: 500 },
  );
}
