/**
 * A Data API configured for one suite (exposed schemas, PGRST_DB_TX_END, aggregates, max rows)
 * behind the devstack gateway, on free ports, against the suite's database: the settings that a
 * shared stack cannot vary per test. supabase-js talks to it exactly as to `supabase start`.
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import postgres from "postgres";
import { startGateway } from "../../devstack/gateway/server.ts";
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from "../../devstack/keys.ts";
import type { RestOptions } from "../../devstack/rest/config.ts";
import { startRest } from "../../devstack/rest/server.ts";

export function parityDbUrl(): string | undefined {
  return Deno.env.get("SUPABASE_DB_URL") ?? Deno.env.get("TEST_DB_URL");
}

export interface ParityApi {
  url: string;
  // deno-lint-ignore no-explicit-any -- the schema name is chosen at run time
  anon: SupabaseClient<any, any, any>;
  // deno-lint-ignore no-explicit-any -- as above
  service: SupabaseClient<any, any, any>;
  /** A client whose requests go to schema `schema` (Accept-Profile / Content-Profile). */
  // deno-lint-ignore no-explicit-any -- as above
  client(options?: { schema?: string; key?: string }): SupabaseClient<any, any, any>;
  /** A raw request to `/rest/v1${path}` through the gateway, as the service role unless `key` says otherwise. */
  request(path: string, init?: RequestInit & { key?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function startParityApi(
  dbUrl: string,
  options: Partial<RestOptions> = {},
): Promise<ParityApi> {
  const authenticator = new URL(dbUrl);
  authenticator.username = "authenticator";
  authenticator.password = "";
  const rest = await startRest({
    dbUri: authenticator.toString(),
    jwtSecret: DEMO_JWT_SECRET,
    serverPort: 0,
    dbPool: 3,
    ...options,
  });
  const gateway = await startGateway({
    port: 0,
    apiKeys: [DEMO_ANON_KEY, DEMO_SERVICE_ROLE_KEY],
    upstreams: { rest: rest.url },
  });
  const client = (opts: { schema?: string; key?: string } = {}) =>
    createClient(gateway.url, opts.key ?? DEMO_SERVICE_ROLE_KEY, {
      db: { schema: opts.schema ?? (options.dbSchemas ?? ["public"])[0] },
      auth: { persistSession: false, autoRefreshToken: false },
    });
  return {
    url: gateway.url,
    anon: client({ key: DEMO_ANON_KEY }),
    service: client(),
    client,
    request(path, init = {}) {
      const headers = new Headers(init.headers);
      const key = init.key ?? DEMO_SERVICE_ROLE_KEY;
      headers.set("apikey", key);
      if (!headers.has("authorization")) headers.set("authorization", `Bearer ${key}`);
      return fetch(`${gateway.url}/rest/v1${path}`, { ...init, headers });
    },
    async close() {
      await gateway.close();
      await rest.close();
    },
  };
}

/** Tables for embedding, operators and writes, in a schema of their own, dropped afterwards. */
export const paritySchema = `
drop schema if exists rest_parity cascade;
create schema rest_parity;
grant usage on schema rest_parity to anon, authenticated, service_role;
create table rest_parity.authors (
  id int primary key, name text not null, born date, tags text[] not null default '{}',
  profile jsonb, active_years int4range, bio tsvector, rating numeric
);
create table rest_parity.books (
  id int primary key, title text not null,
  author_id int not null constraint books_author_fkey references rest_parity.authors (id),
  editor_id int constraint books_editor_fkey references rest_parity.authors (id),
  pages int, published date, status text not null default 'draft'
);
create table rest_parity.bios (author_id int primary key references rest_parity.authors (id), body text);
create table rest_parity.tags (id int primary key, name text not null unique);
create table rest_parity.book_tags (
  book_id int references rest_parity.books (id), tag_id int references rest_parity.tags (id),
  primary key (book_id, tag_id)
);
create table rest_parity.counters (name text primary key, value int not null default 0, note text default 'new');
create table rest_parity.nokey (name text, value int);
create view rest_parity.book_list as select id, title, author_id from rest_parity.books;
create function rest_parity.author_books(rest_parity.authors) returns setof rest_parity.books
  language sql stable as $$ select * from rest_parity.books where author_id = $1.id order by id $$;
create function rest_parity.long_books(min_pages int) returns setof rest_parity.books
  language sql stable as $$ select * from rest_parity.books where pages >= min_pages order by id $$;
create function rest_parity.echo(payload json) returns json language sql immutable as $$ select payload $$;
create function rest_parity.bump(counter text) returns int language sql volatile as
  $$ update rest_parity.counters set value = value + 1 where name = counter returning value $$;
create function rest_parity.bump_all() returns setof rest_parity.counters language sql volatile as
  $$ update rest_parity.counters set value = value + 1 returning * $$;
grant all on all tables in schema rest_parity to anon, authenticated, service_role;
grant execute on all functions in schema rest_parity to anon, authenticated, service_role;
insert into rest_parity.authors values
  (1, 'Ursula', '1929-10-21', '{scifi,fantasy}', '{"city": "Berkeley", "awards": {"hugo": 5}, "langs": ["en"]}', '[1960,2018)', to_tsvector('english', 'wizards of earthsea islands'), 4.8),
  (2, 'Octavia', '1947-06-22', '{scifi}', '{"city": "Pasadena", "awards": {"hugo": 2}, "langs": ["en"]}', '[1976,2006)', to_tsvector('english', 'parables and patternist series'), 4.6),
  (3, 'Anon', null, '{}', null, null, null, null);
insert into rest_parity.books values
  (1, 'A Wizard of Earthsea', 1, 2, 183, '1968-01-01', 'published'),
  (2, 'The Left Hand of Darkness', 1, 2, 304, '1969-03-01', 'published'),
  (3, 'Kindred', 2, 1, 264, '1979-06-01', 'published'),
  (4, 'Parable of the Sower', 2, null, 345, '1993-10-01', 'published'),
  (5, 'Untitled', 2, null, null, null, 'draft');
insert into rest_parity.bios values (1, 'Wrote Earthsea');
insert into rest_parity.tags values (1, 'classic'), (2, 'award'), (3, 'unused');
insert into rest_parity.book_tags values (1, 1), (1, 2), (2, 2), (3, 1);
insert into rest_parity.counters (name, value) values ('a', 1), ('b', 2);
notify pgrst, 'reload schema';
`;

export async function withParityDb<T>(dbUrl: string, fn: (db: postgres.Sql) => Promise<T>): Promise<T> {
  const db = postgres(dbUrl, { max: 2, onnotice: () => {} });
  try {
    await db.unsafe(paritySchema);
    return await fn(db);
  } finally {
    await db.unsafe("drop schema if exists rest_parity cascade; notify pgrst, 'reload schema'");
    await db.end({ timeout: 5 });
  }
}
