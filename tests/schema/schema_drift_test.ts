// The schema-drift check (scripts/check-schema-drift.sh) must fail, naming the object, when the
// declarative schema files and the migrations disagree. Each test copies supabase/schemas/,
// changes one object, and runs the real check against one database built from the migrations.
import assert from "node:assert/strict";
import { createTestCluster, type TestCluster } from "../devstack/pg_cluster.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const SCHEMAS = `${ROOT}supabase/schemas`;

interface CheckResult {
  success: boolean;
  output: string;
}

async function bash(script: string): Promise<CheckResult> {
  const result = await new Deno.Command("bash", {
    args: ["-c", script],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    success: result.success,
    output: decoder.decode(result.stdout) + decoder.decode(result.stderr),
  };
}

/** A copy of supabase/schemas/ with `change` applied to one file's text. */
async function changedSchemas(file: string, change: (text: string) => string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "schema-drift-test-" });
  for await (const entry of Deno.readDir(SCHEMAS)) {
    await Deno.copyFile(`${SCHEMAS}/${entry.name}`, `${dir}/${entry.name}`);
  }
  const path = `${dir}/${file}`;
  const before = await Deno.readTextFile(path);
  const after = change(before);
  assert.notEqual(after, before, `the change to ${file} must change it`);
  await Deno.writeTextFile(path, after);
  return dir;
}

async function checkDrift(schemas: string, migratedUrl: string): Promise<CheckResult> {
  return await bash(`bash scripts/check-schema-drift.sh --schemas '${schemas}' --migrated '${migratedUrl}'`);
}

Deno.test("the schema-drift check", async (t) => {
  const migrated: TestCluster = await createTestCluster();
  const cliHome = await Deno.makeTempDir({ prefix: "schema-drift-cli-" });
  try {
    const up = await bash(
      `source scripts/env.sh && HOME='${cliHome}' supabase migration up --db-url '${migrated.url}?sslmode=disable'`,
    );
    assert.ok(up.success, up.output);

    await t.step("passes when the schema files are as committed", async () => {
      const result = await checkDrift(SCHEMAS, migrated.url);
      assert.ok(result.success, result.output);
      assert.match(result.output, /schema drift: none/);
    });

    await t.step("fails naming a function whose body changed in the schema files", async () => {
      const dir = await changedSchemas(
        "75_streaks.sql",
        (text) => text.replace("as $$ select 1000 $$;", () => "as $$ select 1001 $$;"),
      );
      try {
        const result = await checkDrift(dir, migrated.url);
        assert.equal(result.success, false, result.output);
        assert.match(result.output, /^differs: function private\.streak_lookback\(\)$/m);
        assert.doesNotMatch(result.output, /^differs: function private\.current_streak/m);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });

    await t.step("fails naming a policy dropped from the schema files", async () => {
      const dir = await changedSchemas(
        "10_profiles.sql",
        (text) => text.replace(/^create policy "Profiles are editable by their owner"[^\n]*\n/m, ""),
      );
      try {
        const result = await checkDrift(dir, migrated.url);
        assert.equal(result.success, false, result.output);
        assert.match(
          result.output,
          /^only in the migrations: policy public\.profiles\.Profiles are editable by their owner$/m,
        );
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  } finally {
    await migrated.remove();
    await Deno.remove(cliHome, { recursive: true });
  }
});
