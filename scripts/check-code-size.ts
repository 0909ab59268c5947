/**
 * Small modules with one job: fails when a file in supabase/functions is over 300 lines or a
 * function in it (declaration, method, arrow or function expression, nested ones included) is
 * over 80 lines, naming each. The TypeScript compiler's parser finds the functions.
 *   deno run --allow-read --allow-env scripts/check-code-size.ts [DIR...]
 * There are no exceptions: an offender is split before it lands.
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

/** "file:name" of an offender. */
export const offenderKey = (offender: Offender) => `${offender.file}:${offender.what}`;

if (import.meta.main) {
  const options = Deno.args.filter((arg) => arg.startsWith("-"));
  if (options.length > 0) {
    console.error(`check-code-size: unknown option ${options.join(", ")} (it takes directories only)`);
    Deno.exit(2);
  }
  const dirs = Deno.args.length > 0 ? [...Deno.args] : ["supabase/functions"];
  const found: Offender[] = [];
  for (const dir of dirs) {
    for await (const file of typeScriptFiles(dir)) {
      found.push(...sizeOffenders(file, await Deno.readTextFile(file)));
    }
  }
  for (const { file, what, line, lines } of found.sort((a, b) => a.file.localeCompare(b.file))) {
    const limit = what === "file" ? MAX_FILE_LINES : MAX_FUNCTION_LINES;
    console.error(
      `${file}:${line}: ${what === "file" ? "the file" : what} has ${lines} lines (at most ${limit})`,
    );
  }
  if (found.length > 0) Deno.exit(1);
  console.log(
    `${dirs.join(", ")}: no file over ${MAX_FILE_LINES} lines, no function over ${MAX_FUNCTION_LINES}`,
  );
}
