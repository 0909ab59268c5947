/**
 * Reads a dotenv file (KEY=VALUE lines, `#` comments, optional `export `, single or double
 * quotes; `\n` escapes in double quotes). Returns {} when the file does not exist.
 */
export async function readEnvFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    throw error;
  }
  return parseEnv(text);
}

export function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  const line =
    /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(?:"((?:\\.|[^"\\])*)"|'([^']*)'|([^#\r\n]*?))\s*(?:#.*)?$/gm;
  for (const match of text.matchAll(line)) {
    const [, key, doubleQuoted, singleQuoted, bare] = match;
    env[key] = doubleQuoted !== undefined
      ? doubleQuoted.replace(/\\n/g, "\n").replace(/\\r/g, "\r").replace(/\\(["\\])/g, "$1")
      : singleQuoted ?? bare ?? "";
  }
  return env;
}
