/**
 * A cursor over one query-string value, with the pieces every part of PostgREST's grammar shares:
 * field names (bare or double-quoted), JSON paths and parse errors in PostgREST's form
 * (`"failed to parse <what> (<value>)" (line 1, column N)`, 400 PGRST100).
 */
import { ApiError } from "./errors.ts";
import type { Field, JsonStep } from "./query-types.ts";

// PostgREST's pIdentifierChar: Parsec's `letter` (any Unicode letter), `digit` (ASCII only), `_`, ` `, `$`.
const identifierChar = /[\p{L}0-9_ $]/u;

export class Cursor {
  pos = 0;
  constructor(readonly text: string, readonly what: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(n = 1): string {
    return this.text.slice(this.pos, this.pos + n);
  }
  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }
  eat(s: string): boolean {
    if (!this.startsWith(s)) return false;
    this.pos += s.length;
    return true;
  }
  expect(s: string, expecting = `"${s}"`): void {
    if (!this.eat(s)) throw this.fail(`expecting ${expecting}`);
  }
  skipSpaces(): void {
    while (this.peek() === " " || this.peek() === "\t") this.pos++;
  }
  rest(): string {
    const value = this.text.slice(this.pos);
    this.pos = this.text.length;
    return value;
  }

  fail(details: string): ApiError {
    const unexpected = this.done ? "unexpected end of input" : `unexpected ${JSON.stringify(this.peek())}`;
    return new ApiError(
      400,
      "PGRST100",
      `"failed to parse ${this.what} (${this.text})" (line 1, column ${this.pos + 1})`,
      `${unexpected} ${details}`.trim(),
    );
  }

  /** A parse error whose details are given whole (no "unexpected ..." prefix). */
  failExact(details: string): ApiError {
    return new ApiError(
      400,
      "PGRST100",
      `"failed to parse ${this.what} (${this.text})" (line 1, column ${this.pos + 1})`,
      details,
    );
  }

  /** Letters, digits, `_`, `$` and spaces (trimmed), with single dashes between them. */
  identifier(): string | undefined {
    const start = this.pos;
    while (!this.done) {
      const ch = this.peek();
      if (identifierChar.test(ch)) this.pos++;
      else if (ch === "-" && this.peek(2) !== "->" && this.pos > start) this.pos++;
      else break;
    }
    const raw = this.text.slice(start, this.pos).trim();
    return raw === "" ? undefined : raw;
  }

  /** PostgREST's pIdentifier: identifier characters only (no dashes), trimmed; the grammar of a cast's type. */
  typeName(): string | undefined {
    const start = this.pos;
    while (!this.done && identifierChar.test(this.peek())) this.pos++;
    const raw = this.text.slice(start, this.pos).trim();
    return raw === "" ? undefined : raw;
  }

  /** A double-quoted value with `\` escapes. */
  quoted(): string | undefined {
    if (this.peek() !== '"') return undefined;
    let value = "";
    let i = this.pos + 1;
    while (i < this.text.length && this.text[i] !== '"') {
      if (this.text[i] === "\\" && i + 1 < this.text.length) i++;
      value += this.text[i++];
    }
    if (i >= this.text.length) {
      this.pos = i;
      throw this.fail('expecting "\\"" (unterminated quoted value)');
    }
    this.pos = i + 1;
    return value;
  }

  fieldName(): string {
    this.skipSpaces();
    const name = this.quoted() ?? this.identifier();
    if (name === undefined) throw this.fail("expecting field name (* or [a..z0..9_$])");
    return name;
  }

  jsonPath(): JsonStep[] {
    const steps: JsonStep[] = [];
    for (;;) {
      const arrow = this.eat("->>") ? "->>" : this.eat("->") ? "->" : undefined;
      if (!arrow) return steps;
      const index = this.text.slice(this.pos).match(/^-?\d+(?=$|->|::|[.,)])/);
      if (index) {
        this.pos += index[0].length;
        steps.push({ arrow, key: index[0], index: true });
      } else steps.push({ arrow, key: this.jsonKeyName(), index: false });
    }
  }

  /**
   * PostgREST's pJsonKeyName: a quoted value, or runs of any characters but `(-:.,>)`, trimmed,
   * joined by single dashes (a key is always a bound parameter, never SQL text).
   */
  jsonKeyName(): string {
    const quoted = this.quoted();
    if (quoted !== undefined) return quoted;
    const parts: string[] = [];
    for (;;) {
      const start = this.pos;
      while (!this.done && !"(-:.,>)".includes(this.peek())) this.pos++;
      const part = this.text.slice(start, this.pos).trim();
      if (part === "") {
        this.pos = start;
        throw this.fail("expecting any non reserved character different from: .,>()");
      }
      parts.push(part);
      if (this.peek() !== "-" || this.peek(2) === "->") break;
      this.pos++;
    }
    return parts.join("-");
  }

  field(): Field {
    const name = this.fieldName();
    const path = this.jsonPath();
    this.skipSpaces();
    return { name, path };
  }
}

/** Splits on `sep` outside double quotes and parentheses. */
export function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      current += ch;
      if (ch === "\\" && i + 1 < text.length) current += text[++i];
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    if (ch === sep && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts;
}
