/** Checks one uploaded function: laid out alone, does every import resolve from its own map? */
import type { UploadedFunction } from "./deploy-recorder.ts";

interface DenoInfo {
  modules: {
    specifier: string;
    error?: string;
    dependencies?: { specifier: string; code?: { error?: string }; type?: { error?: string } }[];
  }[];
}

const isBare = (specifier: string) => !/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(specifier);

/** The path of a file the CLI named (a path from the git root, or a file URL) inside `dir`. */
function placed(dir: string, name: string): string {
  const path = name.startsWith("file://") ? new URL(name).pathname : name;
  const fromRoot = path.includes("/supabase/")
    ? path.slice(path.indexOf("/supabase/") + 1)
    : path.replace(/^\/+/, "");
  return `${dir}/${fromRoot}`;
}

export async function checkUpload(upload: UploadedFunction): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: `deploy-${upload.name}-` });
  try {
    for (const [name, bytes] of upload.files) {
      const path = placed(dir, name);
      await Deno.mkdir(path.replace(/\/[^/]*$/, ""), { recursive: true });
      await Deno.writeFile(path, bytes);
    }
    const problems: string[] = [];
    if (!upload.importMapPath) {
      problems.push("the deploy carries no import map (no deno.json in the function's folder)");
    }
    const entrypoint = placed(dir, upload.entrypointPath);
    const args = ["info", "--json", "--no-lock"];
    args.push(...(upload.importMapPath ? ["--config", placed(dir, upload.importMapPath)] : ["--no-config"]));
    const output = await new Deno.Command(Deno.execPath(), {
      args: [...args, entrypoint],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      return [...problems, `deno info failed: ${new TextDecoder().decode(output.stderr).trim()}`];
    }
    const info: DenoInfo = JSON.parse(new TextDecoder().decode(output.stdout));
    const used = new Set<string>();
    for (const module of info.modules) {
      if (module.error) problems.push(`${module.specifier}: ${module.error}`);
      if (!module.specifier.startsWith("file://")) continue;
      for (const dependency of module.dependencies ?? []) {
        const error = dependency.code?.error ?? dependency.type?.error;
        if (error) problems.push(`${module.specifier.slice(`file://${dir}/`.length)}: ${error}`);
        if (isBare(dependency.specifier)) used.add(dependency.specifier);
      }
    }
    if (upload.importMapPath) {
      const map = JSON.parse(await Deno.readTextFile(placed(dir, upload.importMapPath)));
      for (const key of Object.keys(map.imports ?? {})) {
        const isUsed = key.endsWith("/")
          ? [...used].some((specifier) => specifier.startsWith(key))
          : used.has(key);
        if (!isUsed) problems.push(`the import map lists "${key}", which the function does not import`);
      }
    }
    return problems;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
