import { parse } from "smol-toml";
import { z } from "zod";

/** One edge function as the host serves it. */
export interface FunctionDefinition {
  name: string;
  /** Absolute path of the entrypoint (index.ts unless config.toml says otherwise). */
  entrypoint: string;
  verifyJwt: boolean;
}

const FunctionConfig = z.object({
  enabled: z.boolean().default(true),
  verify_jwt: z.boolean().default(true),
  entrypoint: z.string().optional(),
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
      ? (settings.entrypoint.startsWith("/")
        ? settings.entrypoint
        : join(dirname(configPath), settings.entrypoint))
      : join(functionsDir, entry.name, "index.ts");
    if (!(await exists(entrypoint))) continue;
    found.set(entry.name, { name: entry.name, entrypoint, verifyJwt: settings.verify_jwt });
  }
  return found;
}
