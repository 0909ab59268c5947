import { sleep } from "../../supabase/functions/_shared/sleep.ts";

/** Polls `read` until it returns a value (not undefined), or throws after `timeoutMs`. */
export async function waitUntil<T>(
  read: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await sleep(100);
  }
}
