/**
 * The `select` parameter: fields with JSON paths, casts and aliases, aggregates
 * (`col.sum()::int`, `count()`), and embedded resources (`alias:rel!hint!inner(...)`,
 * `...rel(...)` spreads), as PostgREST's select grammar has them.
 */
import { Cursor } from "./grammar-cursor.ts";
import { type Aggregate, aggregates, type SelectItem } from "./query-types.ts";

export function parseSelect(value: string): SelectItem[] {
  const cursor = new Cursor(value, "select parameter");
  if (value.trim() === "") return [star()];
  const items = forest(cursor);
  if (!cursor.done) throw cursor.fail('expecting "," or end of input');
  return items;
}

const star = (): SelectItem => ({ kind: "field", field: { name: "*", path: [] } });

function forest(cursor: Cursor): SelectItem[] {
  const items: SelectItem[] = [];
  do {
    cursor.skipSpaces();
    items.push(item(cursor));
    cursor.skipSpaces();
  } while (cursor.eat(","));
  return items;
}

function atEnd(cursor: Cursor): boolean {
  return cursor.done || cursor.peek() === "," || cursor.peek() === ")";
}

function aliasPrefix(cursor: Cursor): string | undefined {
  const start = cursor.pos;
  const name = cursor.quoted() ?? cursor.identifier();
  if (name !== undefined && cursor.peek() === ":" && cursor.peek(2) !== "::") {
    cursor.pos++;
    return name;
  }
  cursor.pos = start;
  return undefined;
}

function embedParams(cursor: Cursor): { hint?: string; join?: "inner" | "left" } {
  const params: { hint?: string; join?: "inner" | "left" } = {};
  for (let i = 0; i < 2 && cursor.eat("!"); i++) {
    const word = cursor.fieldName();
    if (word === "inner" || word === "left") params.join = word;
    else params.hint = word;
  }
  return params;
}

function item(cursor: Cursor): SelectItem {
  if (cursor.eat("*")) {
    if (!atEnd(cursor)) throw cursor.fail('expecting ")", "," or end of input');
    return star();
  }
  if (cursor.eat("...")) {
    const name = cursor.fieldName();
    const params = embedParams(cursor);
    cursor.expect("(");
    const children = cursor.peek() === ")" ? [] : forest(cursor);
    cursor.expect(")");
    return { kind: "embed", name, spread: true, children, ...params };
  }
  const alias = aliasPrefix(cursor);
  if (cursor.startsWith("count()")) {
    cursor.pos += "count()".length;
    const aggregateCast = cursor.eat("::") ? castName(cursor) : undefined;
    if (!atEnd(cursor)) throw cursor.fail('expecting ")", "," or end of input');
    return { kind: "field", field: { name: "*", path: [] }, alias, aggregate: "count", aggregateCast };
  }
  const field = cursor.field();
  if (field.path.length === 0 && (cursor.peek() === "!" || cursor.peek() === "(")) {
    const params = embedParams(cursor);
    cursor.expect("(");
    const children = cursor.peek() === ")" ? [] : forest(cursor);
    cursor.expect(")");
    return { kind: "embed", name: field.name, alias, spread: false, children, ...params };
  }
  const cast = cursor.eat("::") ? castName(cursor) : undefined;
  let aggregate: Aggregate | undefined;
  let aggregateCast: string | undefined;
  if (cursor.eat(".")) {
    const name = cursor.identifier() ?? "";
    if (!(aggregates as readonly string[]).includes(name) || !cursor.eat("()")) {
      throw cursor.fail("expecting an aggregate function: avg(), count(), max(), min() or sum()");
    }
    aggregate = name as Aggregate;
    if (cursor.eat("::")) aggregateCast = castName(cursor);
  }
  if (!atEnd(cursor)) throw cursor.fail('expecting "->>", "->", "::", ".", ")", "," or end of input');
  return { kind: "field", field, alias, cast, aggregate, aggregateCast };
}

function castName(cursor: Cursor): string {
  const name = cursor.typeName();
  if (name === undefined) throw cursor.fail("expecting letter or digit");
  return name;
}
