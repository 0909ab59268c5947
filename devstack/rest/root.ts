/** The root endpoint: the OpenAPI document of what the requesting role can use. */
import type { ApiRequest } from "./api-request.ts";
import { buildOpenApi, type OpenApiTarget } from "./openapi.ts";
import { type QueryContext, scopeOf } from "./query.ts";
import { respond } from "./response.ts";
import { inRequestTransaction } from "./transaction.ts";

export interface RootContext extends QueryContext {
  openApiTarget(): OpenApiTarget;
}

export async function serveOpenApi(request: ApiRequest, ctx: RootContext): Promise<Response> {
  const { schema } = request;
  const cache = ctx.cache();
  const tables = [...cache.tables.values()].filter((t) => t.schema === schema);
  const functions = [...cache.functions.values()].flat().filter((f) => f.schema === schema);
  const visible = await inRequestTransaction(
    ctx.sql,
    cache,
    scopeOf(request, ctx.config, true),
    async (tx) => {
      const tableRows = await tx.unsafe<{ oid: string }[]>(
        `select c.oid::int8::text as oid from pg_catalog.pg_class c
       where c.oid = any($1::oid[]) and pg_catalog.has_schema_privilege(c.relnamespace, 'USAGE')
         and (pg_catalog.has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE')
           or pg_catalog.has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE'))`,
        [tables.map((t) => String(t.oid))],
      );
      const functionRows = await tx.unsafe<{ oid: string }[]>(
        `select p.oid::int8::text as oid from pg_catalog.pg_proc p
       where p.oid = any($1::oid[]) and pg_catalog.has_schema_privilege(p.pronamespace, 'USAGE')
         and pg_catalog.has_function_privilege(p.oid, 'EXECUTE')`,
        [functions.map((f) => String(f.oid))],
      );
      const [description] = await tx.unsafe<{ description: string | null }[]>(
        `select pg_catalog.obj_description(n.oid, 'pg_namespace') as description
       from pg_catalog.pg_namespace n where n.nspname = $1`,
        [schema],
      );
      return {
        tables: new Set(tableRows.map((r) => Number(r.oid))),
        functions: new Set(functionRows.map((r) => Number(r.oid))),
        description: description?.description ?? null,
      };
    },
  );
  const doc = buildOpenApi(
    tables.filter((t) => visible.tables.has(t.oid)),
    functions.filter((f) => visible.functions.has(f.oid)),
    ctx.openApiTarget(),
    visible.description,
  );
  return respond(request, "root", 200, JSON.stringify(doc));
}
