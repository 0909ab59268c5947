/** The parsed query string (PostgREST's QueryParams): what each grammar module produces. */

export interface JsonStep {
  arrow: "->" | "->>";
  key: string;
  /** An array index (`->0`, `->-1`) rather than an object key. */
  index: boolean;
}

export interface Field {
  name: string;
  path: JsonStep[];
}

export const aggregates = ["count", "sum", "avg", "max", "min"] as const;
export type Aggregate = (typeof aggregates)[number];

export type SelectItem =
  | {
    kind: "field";
    field: Field;
    alias?: string;
    cast?: string;
    aggregate?: Aggregate;
    aggregateCast?: string;
  }
  | {
    kind: "embed";
    name: string;
    alias?: string;
    hint?: string;
    join?: "inner" | "left";
    spread: boolean;
    children: SelectItem[];
  };

export const simpleOperators = {
  eq: "=",
  neq: "<>",
  gt: ">",
  gte: ">=",
  lt: "<",
  lte: "<=",
  like: "like",
  ilike: "ilike",
  match: "~",
  imatch: "~*",
  cs: "@>",
  cd: "<@",
  ov: "&&",
  sl: "<<",
  sr: ">>",
  nxr: "&<",
  nxl: "&>",
  adj: "-|-",
  isdistinct: "is distinct from",
} as const;
export type SimpleOperator = keyof typeof simpleOperators;

/** Operators that take `(any)` / `(all)` quantifiers. */
export const quantifiable = new Set<string>([
  "eq",
  "gt",
  "gte",
  "lt",
  "lte",
  "like",
  "ilike",
  "match",
  "imatch",
]);

export const ftsOperators = {
  fts: "to_tsquery",
  plfts: "plainto_tsquery",
  phfts: "phraseto_tsquery",
  wfts: "websearch_to_tsquery",
} as const;
export type FtsOperator = keyof typeof ftsOperators;

export type IsValue = "null" | "not_null" | "true" | "false" | "unknown";

export type OpExpr =
  | { negated: boolean; op: "in"; values: string[] }
  | { negated: boolean; op: "is"; value: IsValue }
  | { negated: boolean; op: FtsOperator; language?: string; value: string }
  | { negated: boolean; op: SimpleOperator; quantifier?: "any" | "all"; value: string };

export interface Filter {
  field: Field;
  expr: OpExpr;
}

export type LogicTree =
  | { kind: "filter"; filter: Filter }
  | { kind: "expr"; negated: boolean; op: "and" | "or"; children: LogicTree[] };

export interface OrderTerm {
  /** `order=rel(col)`: ordering by a column of a to-one embedded resource. */
  relation?: string;
  field: Field;
  direction?: "asc" | "desc";
  nulls?: "first" | "last";
}

/** Embed path (aliases or names of embedded resources, outermost first) → value. */
export interface AtPath<T> {
  path: string[];
  value: T;
}

export interface QueryParams {
  select: SelectItem[];
  filters: AtPath<Filter>[];
  logic: AtPath<LogicTree>[];
  order: AtPath<OrderTerm[]>[];
  limits: AtPath<number>[];
  offsets: AtPath<number>[];
  columns?: string[];
  onConflict?: string[];
  /** GET /rpc arguments: keys whose value has no operator. */
  args: Record<string, string>;
}
