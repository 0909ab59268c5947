/**
 * WHERE and ORDER BY: filters with every PostgREST operator, logic trees, `is null` tests on
 * embedded resources, and ordering by columns, JSON paths and to-one embedded columns.
 */
import { ApiError } from "./errors.ts";
import {
  type Filter,
  type FtsOperator,
  ftsOperators,
  type LogicTree,
  type OpExpr,
  type OrderTerm,
  simpleOperators,
} from "./query-types.ts";
import type { EmbedNode, ReadNode } from "./read-tree.ts";
import { arrayLiteral, fieldExpr, fieldType, type Params, quoteIdent } from "./sql-fragments.ts";
import { relatedValue } from "./sql-related.ts";

const isTests = {
  null: "is null",
  not_null: "is not null",
  true: "is true",
  false: "is false",
  unknown: "is unknown",
};

export function embedNamed(node: ReadNode, name: string): EmbedNode | undefined {
  return node.embeds.find((embed) => embed.outputName === name || embed.name === name);
}

function operation(node: ReadNode, filter: Filter, params: Params): string {
  const { expr } = filter;
  const lhs = fieldExpr(node, filter.field, params);
  const type = fieldType(node, filter.field);
  const typed = (value: string, suffix = "") => `(${params.add(value)}::text)::${type}${suffix}`;
  if (expr.op === "is") return `${lhs} ${isTests[expr.value]}`;
  if (expr.op === "in") return `${lhs} = any(${typed(arrayLiteral(expr.values), "[]")})`;
  if (expr.op in ftsOperators) {
    const fts = expr as Extract<OpExpr, { op: FtsOperator }>;
    const lang = fts.language === undefined ? "" : `${params.add(fts.language)}::text::regconfig, `;
    const vector = type === "tsvector" ? lhs : `pg_catalog.to_tsvector(${lang}${lhs})`;
    return `${vector} @@ pg_catalog.${ftsOperators[fts.op]}(${lang}${params.add(fts.value)}::text)`;
  }
  const simple = expr as Extract<OpExpr, { op: keyof typeof simpleOperators }>;
  const sqlOp = simpleOperators[simple.op];
  const textual = ["like", "ilike", "match", "imatch"].includes(simple.op);
  const pattern = (v: string) => simple.op === "like" || simple.op === "ilike" ? v.replaceAll("*", "%") : v;
  if (simple.quantifier) {
    const list = simple.value.startsWith("{") && simple.value.endsWith("}")
      ? simple.value.slice(1, -1).split(",").map((v) => v.trim().replace(/^"(.*)"$/, "$1"))
      : [simple.value];
    const array = textual
      ? `${params.add(arrayLiteral(list.map(pattern)))}::text[]`
      : typed(arrayLiteral(list), "[]");
    return `${textual ? `${lhs}::text` : lhs} ${sqlOp} ${simple.quantifier}(${array})`;
  }
  if (textual) return `${lhs}::text ${sqlOp} ${params.add(pattern(simple.value))}::text`;
  return `${lhs} ${sqlOp} ${typed(simple.value)}`;
}

function embedNullTest(node: ReadNode, filter: Filter): string | undefined {
  if (filter.field.path.length > 0) return undefined;
  const embed = embedNamed(node, filter.field.name);
  if (!embed || node.columns?.has(filter.field.name)) return undefined;
  const { expr } = filter;
  if (expr.op !== "is" || expr.value !== "null") {
    throw new ApiError(
      400,
      "PGRST120",
      `Bad operator on the '${embed.outputName}' embedded resource`,
      "Only is null or not is null filters are allowed on embedded resources",
    );
  }
  return `${quoteIdent(embed.joinAlias)}.pgrst_present ${expr.negated ? "is not null" : "is null"}`;
}

export function condition(node: ReadNode, filter: Filter, params: Params): string {
  const embedTest = embedNullTest(node, filter);
  if (embedTest) return embedTest;
  const sql = operation(node, filter, params);
  return filter.expr.negated ? `not (${sql})` : sql;
}

export function logicCondition(node: ReadNode, tree: LogicTree, params: Params): string {
  if (tree.kind === "filter") return condition(node, tree.filter, params);
  const parts = tree.children.map((child) => logicCondition(node, child, params));
  const sql = `(${parts.join(` ${tree.op} `)})`;
  return tree.negated ? `not ${sql}` : sql;
}

export function orderClause(node: ReadNode, order: OrderTerm[], params: Params): string {
  if (order.length === 0) return "";
  const terms = order.map((term) => {
    let sql = term.relation === undefined
      ? fieldExpr(node, term.field, params)
      : relatedValue(node, term.relation, term.field, params);
    if (term.direction) sql += ` ${term.direction}`;
    if (term.nulls) sql += ` nulls ${term.nulls}`;
    return sql;
  });
  return ` order by ${terms.join(", ")}`;
}
