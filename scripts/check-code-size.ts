/**
 * Small modules with one job: fails when a file in supabase/functions is over 300 lines or a
 * function in it (declaration, method, arrow or function expression, nested ones included) is
 * over 80 lines, naming each. The TypeScript compiler's parser finds the functions.
 *   deno run --allow-read --allow-env scripts/check-code-size.ts [--except FILE:NAME]... [DIR...]
 * An --except names one known offender that is being split elsewhere; it fails once that
 * offender is gone, so the list can only shrink.
 */
import { join } from "node:path";
import ts from "typescript";

export const MAX_FILE_LINES = 300;
export const MAX_FUNCTION_LINES = 80;

export interface Offender {
  file: string;
  /** The function's name (or "file" for the whole file). */
  what: string;
  line: number;
  lines: number;
}

function functionName(node: ts.Node, source: ts.SourceFile): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name) return named.name.getText(source);
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(source);
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  if (parent && ts.isCallExpression(parent)) {
    return `callback of ${parent.expression.getText(source).slice(0, 40)}`;
  }
  return "anonymous function";
}

/** The file itself and every function in `text` that is over the limits. */
export function sizeOffenders(file: string, text: string): Offender[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const offenders: Offender[] = [];
  const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line + 1;
  const fileLines = text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
  if (fileLines > MAX_FILE_LINES) offenders.push({ file, what: "file", line: 1, lines: fileLines });
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && (node as ts.Node & { body?: ts.Node }).body) {
      const first = lineOf(node.getStart(source));
      const lines = lineOf(node.getEnd()) - first + 1;
      if (lines > MAX_FUNCTION_LINES) {
        offenders.push({ file, what: functionName(node, source), line: first, lines });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return offenders;
}

async function* typeScriptFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* typeScriptFiles(path);
    else if (entry.isFile && /\.tsx?$/.test(entry.name)) yield path;
  }
}

/** "file:name" of an offender, as --except names it. */
export const offenderKey = (offender: Offender) => `${offender.file}:${offender.what}`;

if (import.meta.main) {
  const excepted = new Set<string>();
  const dirs: string[] = [];
  for (let i = 0; i < Deno.args.length; i++) {
    if (Deno.args[i] === "--except") excepted.add(Deno.args[++i] ?? "");
    else dirs.push(Deno.args[i]!);
  }
  if (dirs.length === 0) dirs.push("supabase/functions");
  const found: Offender[] = [];
  for (const dir of dirs) {
    for await (const file of typeScriptFiles(dir)) {
      found.push(...sizeOffenders(file, await Deno.readTextFile(file)));
    }
  }
  const offenders = found.filter((offender) => !excepted.delete(offenderKey(offender)));
  for (const { file, what, line, lines } of offenders.sort((a, b) => a.file.localeCompare(b.file))) {
    const limit = what === "file" ? MAX_FILE_LINES : MAX_FUNCTION_LINES;
    console.error(
      `${file}:${line}: ${what === "file" ? "the file" : what} has ${lines} lines (at most ${limit})`,
    );
  }
  for (const key of excepted) console.error(`--except ${key}: no longer over the limits; drop the exception`);
  if (offenders.length > 0 || excepted.size > 0) Deno.exit(1);
  console.log(
    `${dirs.join(", ")}: no file over ${MAX_FILE_LINES} lines, no function over ${MAX_FUNCTION_LINES}`,
  );
}
