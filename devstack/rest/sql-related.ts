/** How an embedded resource joins its parent: the correlation condition for each kind of relationship. */
import { ApiError, notEmbedded } from "./errors.ts";
import type { Field } from "./query-types.ts";
import type { EmbedNode, ReadNode } from "./read-tree.ts";
import { qualifiedName, quoteIdent } from "./sql-fragments.ts";
import { fieldExpr, type Params } from "./sql-fragments.ts";

/** The FROM item of an embedded node (a computed relationship calls its function on the parent row). */
export function embedFrom(parent: ReadNode, embed: EmbedNode): string {
  const { rel } = embed;
  if (rel.kind === "computed") {
    return `${qualifiedName(rel.fn.schema, rel.fn.name)}(${quoteIdent(parent.alias)})`;
  }
  return embed.from;
}

/** The WHERE condition tying an embedded node's rows to its parent row (empty for computed ones). */
export function joinCondition(parent: ReadNode, embed: EmbedNode): string[] {
  const { rel } = embed;
  if (rel.kind === "computed") return [];
  const p = quoteIdent(parent.alias);
  const c = quoteIdent(embed.alias);
  if (rel.junction) {
    const j = "pgrst_junction";
    const { table, sourceColumns, targetColumns } = rel.junction;
    const conds = [
      ...sourceColumns.map(([jc, oc]) => `${j}.${quoteIdent(jc)} = ${p}.${quoteIdent(oc)}`),
      ...targetColumns.map(([jc, tc]) => `${j}.${quoteIdent(jc)} = ${c}.${quoteIdent(tc)}`),
    ];
    return [
      `exists (select 1 from ${qualifiedName(table.schema, table.name)} ${j} where ${conds.join(" and ")})`,
    ];
  }
  return rel.columns.map(([origin, foreign]) => `${c}.${quoteIdent(foreign)} = ${p}.${quoteIdent(origin)}`);
}

/** `order=rel(col)`: the value of a column of a to-one embedded resource, for ordering. */
export function relatedValue(node: ReadNode, relation: string, field: Field, params: Params): string {
  const embed = node.embeds.find((e) => e.outputName === relation || e.name === relation);
  if (!embed) throw notEmbedded(relation);
  if (!embed.toOne) {
    throw new ApiError(
      400,
      "PGRST118",
      `A related order on '${relation}' is not possible`,
      `'${node.label}' and '${relation}' do not form a many-to-one or one-to-one relationship`,
    );
  }
  const where = joinCondition(node, embed);
  const value = fieldExpr(embed, field, params);
  return `(select ${value} from ${embedFrom(node, embed)} ${quoteIdent(embed.alias)}${
    where.length > 0 ? ` where ${where.join(" and ")}` : ""
  })`;
}
