/**
 * supabase/config.toml as the pinned Supabase CLI reads it: `supabase start` prints no config
 * warning (e.g. the deprecated [inbucket] section) before it reaches its Docker check. Docker is
 * pointed at a socket that does not exist, so the command never starts anything.
 */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("supabase start reads config.toml without a warning before its Docker check", async () => {
  const work = await Deno.makeTempDir({ prefix: "config-toml-" });
  try {
    await Deno.mkdir(`${work}/supabase/.temp`, { recursive: true });
    await Deno.copyFile(`${root}supabase/config.toml`, `${work}/supabase/config.toml`);
    // An empty version file keeps the CLI from looking up its latest release.
    await Deno.writeTextFile(`${work}/supabase/.temp/cli-latest`, "");
    await Deno.mkdir(`${work}/home`);
    const output = await new Deno.Command(`${root}tools/node_modules/.bin/supabase`, {
      args: ["start"],
      cwd: work,
      clearEnv: true,
      env: {
        PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
        HOME: `${work}/home`,
        DOCKER_HOST: `unix://${work}/no-docker.sock`,
        SUPABASE_TELEMETRY_DISABLED: "1",
        DO_NOT_TRACK: "1",
      },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
    const dockerCheck = text.search(/Cannot connect to the Docker daemon/);
    assert.ok(dockerCheck >= 0, `the CLI reached its Docker check:\n${text}`);
    assert.equal(text.slice(0, dockerCheck).match(/^.*(WARN|deprecated).*$/im)?.[0], undefined, text);
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});
