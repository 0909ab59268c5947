/**
 * Fails on any import circle: between modules (a.ts → b.ts → a.ts, type-only imports included)
 * in each tree given, and between the top-level folders of the web app (web/src/habits →
 * web/src/completions → web/src/habits), where a loop means two features that cannot be
 * understood, or moved, apart.
 *   deno run --allow-read scripts/check-import-circles.ts
 */
import { dirname, join, relative, resolve } from "node:path";

const moduleTrees = ["web/src", "devstack", "supabase/functions"];
const folderTree = "web/src";

const specifier =
  /(?:^|[;\s}])(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory && entry.name !== "node_modules" && !entry.name.startsWith(".")) {
      yield* sourceFiles(path);
    } else if (entry.isFile && /\.(ts|tsx|js|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      yield path;
    }
  }
}

/** Each module's relative imports, resolved to paths, within one tree. */
export async function importGraph(root: string): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for await (const file of sourceFiles(root)) {
    const text = (await Deno.readTextFile(file)).replace(/^\s*\/\/.*$/gm, "");
    const targets: string[] = [];
    for (const match of text.matchAll(specifier)) {
      const spec = match[1] ?? match[2] ?? match[3] ?? "";
      if (spec.startsWith(".")) targets.push(relative(".", resolve(dirname(file), spec)));
    }
    graph.set(relative(".", file), targets);
  }
  return graph;
}

/** Every circle in a directed graph, each once, as the list of its nodes (Tarjan's components). */
export function circles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    order.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!order.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, order.get(next)!));
      }
    }
    if (low.get(node) === order.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!order.has(node)) visit(node);
  return found;
}

/** The graph between the top-level folders under `root` (files directly in it stand alone). */
export function folderGraph(graph: Map<string, string[]>, root: string): Map<string, string[]> {
  const folder = (file: string) => {
    const [top, ...rest] = relative(root, file).split("/");
    return rest.length > 0 ? top! : `${top} (file)`;
  };
  const folders = new Map<string, string[]>();
  for (const [file, targets] of graph) {
    const from = folder(file);
    const edges = folders.get(from) ?? [];
    for (const target of targets) {
      const to = folder(target);
      if (to !== from && !edges.includes(to)) edges.push(to);
    }
    folders.set(from, edges);
  }
  return folders;
}

if (import.meta.main) {
  let failed = false;
  for (const tree of moduleTrees) {
    const graph = await importGraph(tree);
    for (const circle of circles(graph)) {
      failed = true;
      console.error(`import circle in ${tree}: ${circle.join(" ↔ ")}`);
    }
    if (tree === folderTree) {
      for (const circle of circles(folderGraph(graph, tree))) {
        failed = true;
        console.error(`folder loop in ${tree}: ${circle.join(" ↔ ")}`);
      }
    }
  }
  if (failed) Deno.exit(1);
  console.log(`no import circles in ${moduleTrees.join(", ")}; no folder loops in ${folderTree}`);
}
