import { parse } from "smol-toml";
import { z } from "zod";

/** One edge function as the host serves it. */
export interface FunctionDefinition {
  name: string;
  /** Absolute path of the entrypoint (index.ts unless config.toml says otherwise). */
  entrypoint: string;
  /**
   * The import map the function runs with, found as `supabase functions deploy` finds it; none
   * means the function runs without any (the project's root deno.json never applies).
   */
  importMap?: string;
  verifyJwt: boolean;
}

const FunctionConfig = z.object({
  enabled: z.boolean().default(true),
  verify_jwt: z.boolean().default(true),
  entrypoint: z.string().optional(),
  import_map: z.string().optional(),
}).passthrough();

const ConfigToml = z.object({
  functions: z.record(z.string(), FunctionConfig).default({}),
}).passthrough();

/** `[functions.<name>]` sections of supabase/config.toml; {} when the file does not exist. */
export async function readFunctionsConfig(
  configPath: string,
): Promise<Record<string, z.infer<typeof FunctionConfig>>> {
  let text: string;
  try {
    text = await Deno.readTextFile(configPath);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    throw error;
  }
  return ConfigToml.parse(parse(text)).functions;
}

function join(...parts: string[]): string {
  return parts.join("/").replace(/\/+/g, "/");
}

function dirname(path: string): string {
  return path.replace(/\/[^/]*$/, "") || "/";
}

function resolveFrom(configPath: string, path: string): string {
  return path.startsWith("/") ? path : join(dirname(configPath), path);
}

/**
 * The function's import map, in the order the Supabase CLI's deploy looks for it: config.toml's
 * `import_map`, then deno.json, deno.jsonc or import_map.json in the function's folder, then
 * functions/import_map.json.
 */
async function findImportMap(
  functionsDir: string,
  name: string,
  configPath: string,
  setting: string | undefined,
): Promise<string | undefined> {
  if (setting) return resolveFrom(configPath, setting);
  for (
    const candidate of [
      join(functionsDir, name, "deno.json"),
      join(functionsDir, name, "deno.jsonc"),
      join(functionsDir, name, "import_map.json"),
      join(functionsDir, "import_map.json"),
    ]
  ) {
    if (await exists(candidate)) return candidate;
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every function folder (not starting with `_` or `.`) that has an entrypoint and is not
 * disabled in config.toml. Entrypoints in config.toml are relative to config.toml's folder.
 */
export async function discoverFunctions(
  functionsDir: string,
  configPath: string,
): Promise<Map<string, FunctionDefinition>> {
  const config = await readFunctionsConfig(configPath);
  const found = new Map<string, FunctionDefinition>();
  let entries: Deno.DirEntry[] = [];
  try {
    entries = await Array.fromAsync(Deno.readDir(functionsDir));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  for (const entry of entries) {
    if (!entry.isDirectory || entry.name.startsWith("_") || entry.name.startsWith(".")) continue;
    const settings = FunctionConfig.parse(config[entry.name] ?? {});
    if (!settings.enabled) continue;
    const entrypoint = settings.entrypoint
      ? resolveFrom(configPath, settings.entrypoint)
      : join(functionsDir, entry.name, "index.ts");
    if (!(await exists(entrypoint))) continue;
    const importMap = await findImportMap(functionsDir, entry.name, configPath, settings.import_map);
    found.set(entry.name, { name: entry.name, entrypoint, importMap, verifyJwt: settings.verify_jwt });
  }
  return found;
}
