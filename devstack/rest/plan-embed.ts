/**
 * Finding the relationship an embed names (PostgREST's findRel): by table or view name, foreign
 * key constraint, or column, narrowed by `!hint`; PGRST200 when none matches and PGRST201 (with
 * every candidate and the hints that would pick it) when several do.
 */
import { ApiError } from "./errors.ts";
import type { Relationship } from "./relationships.ts";
import type { Table } from "./schema-cache.ts";
import { closest } from "./suggest.ts";

const singleColumn = (rel: Relationship, pick: 0 | 1, value: string) =>
  rel.kind === "fk" && !rel.junction && rel.columns.length === 1 && rel.columns[0][pick] === value;

function matches(rel: Relationship, target: string, hint: string | undefined): boolean {
  if (rel.kind === "computed") return target === rel.fn.name;
  const ftName = rel.foreignTable.name;
  const ftIsView = rel.foreignTable.kind === "v" || rel.foreignTable.kind === "m";
  if (rel.isSelf) {
    if (hint === undefined) {
      return (target === ftName && rel.cardinality === "one-to-many") ||
        (singleColumn(rel, 0, target) && rel.cardinality === "many-to-one");
    }
    return target === ftName && rel.cardinality === "one-to-many" && singleColumn(rel, 1, hint);
  }
  if (hint === undefined) {
    return target === ftName ||
      (!rel.junction && rel.constraint === target && !ftIsView) ||
      (singleColumn(rel, 0, target) && !ftIsView);
  }
  return target === ftName && (
    (!rel.junction && rel.constraint === hint) ||
    singleColumn(rel, 0, hint) || singleColumn(rel, 1, hint) ||
    (rel.junction !== undefined && rel.junction.table.name === hint)
  );
}

const columnList = (cols: string[]) => `(${cols.join(", ")})`;

function describe(rel: Relationship): Record<string, string> {
  if (rel.kind === "computed") return {};
  const { table, foreignTable } = rel;
  const relationship = rel.junction
    ? `${rel.junction.table.name} using ${rel.junction.constraint1}${
      columnList(rel.junction.sourceColumns.map(([j]) => j))
    } and ${rel.junction.constraint2}${columnList(rel.junction.targetColumns.map(([j]) => j))}`
    : `${rel.constraint} using ${table.name}${
      columnList(rel.columns.map(([c]) => c))
    } and ${foreignTable.name}${columnList(rel.columns.map(([, c]) => c))}`;
  return { cardinality: rel.cardinality, embedding: `${table.name} with ${foreignTable.name}`, relationship };
}

export function findRelationship(
  all: Relationship[],
  schema: string,
  origin: Table,
  target: string,
  hint: string | undefined,
): Relationship {
  const fromOrigin = all.filter((rel) => rel.table === origin);
  const found = fromOrigin.filter((rel) => matches(rel, target, hint));
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    const hints = found.map((rel) =>
      rel.kind === "fk"
        ? `'${rel.foreignTable.name}!${rel.junction ? rel.junction.table.name : rel.constraint}'`
        : ""
    );
    throw new ApiError(
      300,
      "PGRST201",
      `Could not embed because more than one relationship was found for '${origin.name}' and '${target}'`,
      found.map(describe),
      `Try changing '${target}' to one of the following: ${
        hints.join(", ")
      }. Find the desired relationship in the 'details' key.`,
    );
  }
  let suggestion: string | undefined;
  if (fromOrigin.length > 0) {
    const candidate = closest(target, new Set(fromOrigin.map((rel) => rel.foreignTable.name)), 0.5);
    if (candidate) suggestion = `Perhaps you meant '${candidate}' instead of '${target}'.`;
  } else {
    const origins = new Set(all.filter((rel) => rel.table.schema === schema).map((rel) => rel.table.name));
    const candidate = closest(origin.name, origins, 0.5);
    if (candidate) suggestion = `Perhaps you meant '${candidate}' instead of '${origin.name}'.`;
  }
  throw new ApiError(
    400,
    "PGRST200",
    `Could not find a relationship between '${origin.name}' and '${target}' in the schema cache`,
    `Searched for a foreign key relationship between '${origin.name}' and '${target}'${
      hint !== undefined ? ` using the hint '${hint}'` : ""
    } in the schema '${schema}', but no matches were found.`,
    suggestion ?? null,
  );
}
