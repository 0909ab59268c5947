import type { Sql } from "postgres";
import type { QueuedRequest, RequestOutcome } from "./http.ts";

/**
 * Takes up to `limit` requests off net.http_request_queue. Rows are deleted as they are claimed
 * (pg_net keeps no record of a request in flight); SKIP LOCKED lets several workers share a queue.
 * Only committed rows are visible, so a rolled-back net.http_post is never sent.
 */
export async function claimRequests(sql: Sql, limit: number): Promise<QueuedRequest[]> {
  const rows = await sql<QueuedRequest[]>`
    delete from net.http_request_queue
    where id in (
      select id from net.http_request_queue order by id limit ${limit} for update skip locked
    )
    returning id, method, url, headers, body, timeout_milliseconds`;
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/** Records the outcome of a request in net._http_response. */
export async function recordOutcome(sql: Sql, outcome: RequestOutcome): Promise<void> {
  await sql`
    insert into net._http_response (id, status_code, content_type, headers, content, timed_out, error_msg)
    values (
      ${outcome.id}, ${outcome.status_code}, ${outcome.content_type},
      ${outcome.headers === null ? null : sql.json(outcome.headers)},
      ${outcome.content}, ${outcome.timed_out}, ${outcome.error_msg}
    )`;
}

/** Deletes responses older than the TTL (pg_net.ttl, 6 hours by default). Returns how many. */
export async function pruneResponses(sql: Sql, ttlSeconds: number): Promise<number> {
  const result = await sql`
    delete from net._http_response where created < now() - make_interval(secs => ${ttlSeconds})`;
  return result.count;
}
