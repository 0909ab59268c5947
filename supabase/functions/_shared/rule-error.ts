/** The habit rules' identifier a database error carries (constraint or rule name), if any. */
export function ruleOf(error: unknown): string | null {
  if (typeof error !== "object" || error === null) return null;
  const { constraint_name, message } = error as { constraint_name?: string; message?: string };
  return constraint_name ?? /violates (?:rule|check constraint) "([^"]+)"/.exec(message ?? "")?.[1] ?? null;
}
