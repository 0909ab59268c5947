/**
 * Runs the pinned Supabase CLI's `functions deploy` on a copy of the project against a local
 * stand-in of the Management API, and returns what the CLI uploaded for each function.
 */

export interface UploadedFunction {
  name: string;
  /** metadata.entrypoint_path and metadata.import_map_path as the CLI sent them. */
  entrypointPath: string;
  importMapPath: string;
  /** Uploaded files by the name the CLI gave them (their path from the project's git root). */
  files: Map<string, Uint8Array>;
}

const PROJECT_REF = "abcdefghijklmnopqrst";
const ACCESS_TOKEN = `sbp_${"0123456789abcdef".repeat(3).slice(0, 40)}`;
const CLI_TIMEOUT_MS = 180_000;

async function run(command: string, args: string[], options: Deno.CommandOptions = {}): Promise<string> {
  const output = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped", ...options })
    .output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  if (!output.success) throw new Error(`${command} ${args.join(" ")} failed:\n${text}`);
  return text;
}

/** The project's supabase/ folder as a clean clone has it (tracked and unignored files). */
async function copyProject(root: string, into: string): Promise<void> {
  const listed = await run("git", ["ls-files", "-co", "--exclude-standard", "-z", "supabase"], { cwd: root });
  for (const path of listed.split("\0").filter(Boolean)) {
    try {
      await Deno.stat(`${root}/${path}`);
    } catch {
      continue; // deleted in the working tree
    }
    await Deno.mkdir(`${into}/${path}`.replace(/\/[^/]*$/, ""), { recursive: true });
    await Deno.copyFile(`${root}/${path}`, `${into}/${path}`);
  }
  await run("git", ["init", "-q"], { cwd: into });
  // An empty version file keeps the CLI from looking up its latest release.
  await Deno.mkdir(`${into}/supabase/.temp`, { recursive: true });
  await Deno.writeTextFile(`${into}/supabase/.temp/cli-latest`, "");
}

/** The Management API endpoints `functions deploy` calls, answering as the CLI expects. */
function startManagementApi(uploads: UploadedFunction[]): Deno.HttpServer<Deno.NetAddr> {
  const base = `/v1/projects/${PROJECT_REF}`;
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const url = new URL(request.url);
    if (request.headers.get("authorization") !== `Bearer ${ACCESS_TOKEN}`) {
      return Response.json({ message: "Unauthorized" }, { status: 401 });
    }
    if (request.method === "GET" && url.pathname === `${base}/functions`) return Response.json([]);
    if (request.method === "POST" && url.pathname === `${base}/functions/deploy`) {
      const slug = url.searchParams.get("slug") ?? "";
      const form = await request.formData();
      const metadata = JSON.parse(String(form.get("metadata") ?? "{}"));
      const files = new Map<string, Uint8Array>();
      for (const part of form.getAll("file")) {
        if (part instanceof File) files.set(part.name, new Uint8Array(await part.arrayBuffer()));
      }
      uploads.push({
        name: metadata.name ?? slug,
        entrypointPath: metadata.entrypoint_path ?? "",
        importMapPath: metadata.import_map_path ?? "",
        files,
      });
      return Response.json({ id: crypto.randomUUID(), slug, name: slug, version: 1, status: "ACTIVE" }, {
        status: 201,
      });
    }
    if (request.method === "PUT" && url.pathname === `${base}/functions`) {
      return Response.json({ functions: await request.json().catch(() => []) });
    }
    return Response.json({ message: `not found: ${request.method} ${url.pathname}` }, { status: 404 });
  });
}

export async function recordDeploy(root: string): Promise<UploadedFunction[]> {
  const work = await Deno.makeTempDir({ prefix: "deploy-dry-run-" });
  const uploads: UploadedFunction[] = [];
  const api = startManagementApi(uploads);
  try {
    const project = `${work}/project`;
    await copyProject(root, project);
    const profile = `${work}/profile.json`;
    await Deno.writeTextFile(
      profile,
      JSON.stringify({
        name: "dry-run",
        api_url: `http://127.0.0.1:${api.addr.port}`,
        dashboard_url: "http://127.0.0.1/dashboard",
        project_host: "127.0.0.1",
      }),
    );
    const home = `${work}/home`;
    await Deno.mkdir(home);
    const output = await run(`${root}/tools/node_modules/.bin/supabase`, [
      "functions",
      "deploy",
      "--project-ref",
      PROJECT_REF,
      "--use-api",
      "--profile",
      profile,
    ], {
      cwd: project,
      clearEnv: true,
      env: {
        PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
        HOME: home,
        SUPABASE_ACCESS_TOKEN: ACCESS_TOKEN,
        SUPABASE_TELEMETRY_DISABLED: "1",
        DO_NOT_TRACK: "1",
      },
      signal: AbortSignal.timeout(CLI_TIMEOUT_MS),
    });
    if (Deno.env.get("DRY_RUN_VERBOSE")) console.log(output);
    return uploads;
  } finally {
    await api.shutdown();
    await Deno.remove(work, { recursive: true });
  }
}
