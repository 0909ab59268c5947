import postgres from "postgres";
import { z } from "zod";
import type { RunningService } from "../service.ts";
import { performRequest } from "./http.ts";
import { claimRequests, pruneResponses, recordOutcome } from "./queue.ts";

export const PgNetOptions = z.object({
  /** Connection as a role that owns or may write the net schema (postgres). */
  databaseUrl: z.string().min(1),
  /** Requests in flight at once. */
  concurrency: z.number().int().positive().default(20),
  /** Fallback poll of the queue, for rows inserted without NOTIFY or a missed notification. */
  pollIntervalMs: z.number().int().positive().default(1000),
  /** Responses older than this are deleted (pg_net.ttl, 6 h). */
  ttlSeconds: z.number().positive().default(6 * 60 * 60),
  pruneIntervalMs: z.number().int().positive().default(60_000),
});
export type PgNetOptions = z.input<typeof PgNetOptions>;

/** The NOTIFY channel net._enqueue signals after inserting a request. */
export const CHANNEL = "pg_net_request";

function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.href;
  } catch {
    return "postgresql://";
  }
}

/**
 * Starts the pg_net worker: performs the HTTP requests queued by net.http_get/post/delete after
 * their transaction commits, and records each outcome in net._http_response. `url` is the
 * database it serves (password hidden).
 */
export async function startPgNet(options: PgNetOptions): Promise<RunningService> {
  const config = PgNetOptions.parse(options);
  const sql = postgres(config.databaseUrl, {
    max: 4,
    onnotice: () => {},
    connection: { application_name: "devstack pg_net worker" },
  });
  const stop = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let draining = false;
  let drainAgain = false;
  let lastError = "";

  const reportError = (what: string, error: unknown) => {
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    if (message !== lastError) console.error(`[pg_net] ${message}`);
    lastError = message;
  };

  const perform = (request: Awaited<ReturnType<typeof claimRequests>>[number]) => {
    const task = performRequest(request, stop.signal)
      .then((outcome) => recordOutcome(sql, outcome))
      .catch((error) => reportError(`request ${request.id}`, error))
      .finally(() => {
        inFlight.delete(task);
        wake();
      });
    inFlight.add(task);
  };

  /** Claims and starts queued requests while there are free slots; one loop at a time. */
  let drainLoop: Promise<void> = Promise.resolve();
  const drain = async () => {
    try {
      do {
        drainAgain = false;
        while (!stop.signal.aborted && inFlight.size < config.concurrency) {
          const requests = await claimRequests(sql, config.concurrency - inFlight.size);
          if (requests.length === 0) break;
          lastError = "";
          for (const request of requests) perform(request);
        }
      } while (drainAgain && !stop.signal.aborted);
    } catch (error) {
      if (!stop.signal.aborted) reportError("claiming requests failed", error);
    } finally {
      draining = false;
    }
  };
  const wake = () => {
    if (stop.signal.aborted) return;
    if (draining) {
      drainAgain = true;
      return;
    }
    draining = true;
    drainLoop = drain();
  };

  let pruning: Promise<unknown> = Promise.resolve();
  const prune = () => {
    pruning = pruneResponses(sql, config.ttlSeconds).catch((error) => reportError("pruning failed", error));
  };

  let listener: { unlisten(): Promise<void> };
  try {
    listener = await sql.listen(CHANNEL, wake);
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }
  const poll = setInterval(wake, config.pollIntervalMs);
  const pruneTimer = setInterval(prune, config.pruneIntervalMs);
  wake();
  prune();

  let closing: Promise<void> | undefined;
  return {
    url: redacted(config.databaseUrl),
    close() {
      closing ??= (async () => {
        clearInterval(poll);
        clearInterval(pruneTimer);
        stop.abort();
        // Requests in flight are cancelled and recorded as such before the pool closes.
        await drainLoop;
        await Promise.all([...inFlight, pruning]);
        await listener.unlisten().catch(() => {});
        await sql.end({ timeout: 5 });
      })();
      return closing;
    },
  };
}
