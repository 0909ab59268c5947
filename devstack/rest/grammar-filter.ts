/**
 * Filters (`col=not.op.value`), logic trees (`or=(a.eq.1,and(b.gt.2,c.is.null))`) and `order`,
 * with every operator PostgREST has; an unknown operator is 400 PGRST100 as in PostgREST.
 */
import { Cursor } from "./grammar-cursor.ts";
import {
  type Field,
  type Filter,
  type FtsOperator,
  ftsOperators,
  type IsValue,
  type LogicTree,
  type OpExpr,
  type OrderTerm,
  quantifiable,
  type SimpleOperator,
  simpleOperators,
} from "./query-types.ts";

/** `rel.sub.col->a` → embed path ["rel", "sub"] and the field. */
export function parseTreePath(key: string): { path: string[]; field: Field } {
  const cursor = new Cursor(key, "tree path");
  const names = [cursor.fieldName()];
  while (cursor.peek() === "." && !cursor.done) {
    cursor.pos++;
    names.push(cursor.fieldName());
  }
  const path = cursor.jsonPath();
  if (!cursor.done) throw cursor.fail('expecting "->>", "->", "." or end of input');
  return { path: names.slice(0, -1), field: { name: names[names.length - 1], path } };
}

/** Whether a value starts with an operator (GET /rpc tells filters from arguments by this). */
export function hasOperator(value: string): boolean {
  const first = value.split(".")[0];
  const bare = first.split("(")[0];
  return first === "not" || first === "in" || first === "is" || bare in simpleOperators ||
    bare in ftsOperators;
}

export function parseFilterValue(value: string): OpExpr {
  const cursor = new Cursor(value, "filter");
  const expr = opExpr(cursor, false);
  cursor.skipSpaces();
  if (!cursor.done) throw cursor.fail("expecting end of input");
  return expr;
}

function opExpr(cursor: Cursor, inLogic: boolean): OpExpr {
  const negated = cursor.eat("not.");
  const start = cursor.pos;
  const dot = cursor.text.indexOf(".", start);
  if (dot < 0) throw cursor.fail('expecting "not" or operator (eq, gt, ...)');
  const opText = cursor.text.slice(start, dot);
  cursor.pos = dot + 1;
  if (opText === "in") return { negated, op: "in", values: listValue(cursor) };
  if (opText === "is") {
    const word = (inLogic ? logicValue(cursor) : cursor.rest()).toLowerCase();
    if (!["null", "not_null", "true", "false", "unknown"].includes(word)) {
      cursor.pos = dot + 1;
      throw cursor.fail("expecting null or trilean value (unknown, true, false)");
    }
    return { negated, op: "is", value: word as IsValue };
  }
  const fts = opText.match(/^(\w+)(?:\(([\p{L}\p{N}_ $]+)\))?$/u);
  if (fts && fts[1] in ftsOperators) {
    const value = inLogic ? logicValue(cursor) : cursor.rest();
    return { negated, op: fts[1] as FtsOperator, language: fts[2]?.trim(), value };
  }
  const quantified = opText.match(/^(\w+)\((any|all)\)$/);
  const name = quantified ? quantified[1] : opText;
  if (!(name in simpleOperators) || (quantified && !quantifiable.has(name))) {
    cursor.pos = dot + 1;
    throw cursor.failExact(`unknown single value operator ${opText}`);
  }
  const value = inLogic ? logicValue(cursor) : cursor.rest();
  const quantifier = quantified?.[2] as "any" | "all" | undefined;
  return { negated, op: name as SimpleOperator, quantifier, value };
}

/** `(a,"b,c",3)` → ["a", "b,c", "3"]. */
function listValue(cursor: Cursor): string[] {
  cursor.skipSpaces();
  cursor.expect("(");
  const values: string[] = [];
  if (cursor.eat(")")) return values;
  for (;;) {
    cursor.skipSpaces();
    const quoted = cursor.quoted();
    if (quoted !== undefined) values.push(quoted);
    else {
      const start = cursor.pos;
      while (!cursor.done && cursor.peek() !== "," && cursor.peek() !== ")") cursor.pos++;
      values.push(cursor.text.slice(start, cursor.pos));
    }
    if (cursor.eat(")")) break;
    cursor.expect(",", '"," or ")"');
  }
  return values;
}

/** A value inside a logic tree: quoted, a `{...}` array literal, or up to the next `,` or `)`. */
function logicValue(cursor: Cursor): string {
  const quoted = cursor.quoted();
  if (quoted !== undefined) return quoted;
  const start = cursor.pos;
  if (cursor.peek() === "{") {
    const end = cursor.text.indexOf("}", start);
    if (end > 0) {
      cursor.pos = end + 1;
      return cursor.text.slice(start, cursor.pos);
    }
  }
  // Parentheses inside a value (a range literal like [1,5) ends at the ")" of the tree) are kept
  // only when balanced.
  while (!cursor.done && cursor.peek() !== "," && cursor.peek() !== ")") cursor.pos++;
  return cursor.text.slice(start, cursor.pos);
}

/** `or` / `and` (optionally `not.`) with the value `(…)`. */
export function parseLogic(operator: string, value: string): LogicTree {
  const cursor = new Cursor(`${operator}${value}`, "logic tree");
  const tree = logicTree(cursor);
  if (!cursor.done) throw cursor.fail("expecting end of input");
  return tree;
}

function logicTree(cursor: Cursor): LogicTree {
  cursor.skipSpaces();
  const start = cursor.pos;
  const negated = cursor.eat("not.");
  const op = cursor.eat("and(") ? "and" : cursor.eat("or(") ? "or" : undefined;
  if (op) {
    const children: LogicTree[] = [];
    do children.push(logicTree(cursor)); while (cursor.eat(","));
    cursor.skipSpaces();
    cursor.expect(")", '"," or ")"');
    return { kind: "expr", negated, op, children };
  }
  cursor.pos = start;
  if (cursor.peek() === ")") {
    throw cursor.fail(
      "expecting field name (* or [a..z0..9_$]), negation operator (not) or logic operator (and, or)",
    );
  }
  const field = cursor.field();
  cursor.expect(".", "delimiter (.)");
  const filter: Filter = { field, expr: opExpr(cursor, true) };
  cursor.skipSpaces();
  return { kind: "filter", filter };
}

export function parseOrder(value: string): OrderTerm[] {
  const cursor = new Cursor(value, "order");
  const terms: OrderTerm[] = [];
  do {
    cursor.skipSpaces();
    const term: OrderTerm = { field: cursor.field() };
    if (cursor.eat("(")) {
      if (term.field.path.length > 0) throw cursor.fail('expecting "."');
      term.relation = term.field.name;
      term.field = cursor.field();
      cursor.expect(")");
    }
    if (cursor.eat(".asc")) term.direction = "asc";
    else if (cursor.eat(".desc")) term.direction = "desc";
    if (cursor.eat(".nullsfirst")) term.nulls = "first";
    else if (cursor.eat(".nullslast")) term.nulls = "last";
    cursor.skipSpaces();
    if (!cursor.done && cursor.peek() !== ",") {
      throw cursor.fail('expecting "asc", "desc", "nullsfirst" or "nullslast"');
    }
    terms.push(term);
  } while (cursor.eat(","));
  return terms;
}
