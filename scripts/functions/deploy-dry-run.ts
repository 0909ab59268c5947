/**
 * A deploy dry run of the edge functions, offline: runs the pinned Supabase CLI's
 * `functions deploy` against a local stand-in of the Management API that records what would be
 * uploaded, then checks, for each function, that every import resolves from the files and the
 * import map the deploy carries (its own deno.json) alone, and that the map lists exactly the
 * packages the function uses. README.md ("Edge functions: one deno.json each") explains it.
 *
 *   deno run -A scripts/functions/deploy-dry-run.ts
 */
import { recordDeploy, type UploadedFunction } from "./deploy-recorder.ts";
import { checkUpload } from "./import-check.ts";

const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

const uploads: UploadedFunction[] = await recordDeploy(root);
let failed = false;
for (const upload of uploads) {
  const problems = await checkUpload(upload);
  if (problems.length === 0) {
    console.log(
      `deploy dry run: ${upload.name}: ${upload.files.size} files, import map ${
        upload.importMapPath || "(none)"
      }: every import resolves, the map lists exactly the packages used`,
    );
  } else {
    failed = true;
    for (const problem of problems) console.error(`deploy dry run: ${upload.name}: ${problem}`);
  }
}
if (uploads.length === 0) {
  console.error("deploy dry run: the CLI uploaded no function");
  failed = true;
}
Deno.exit(failed ? 1 : 0);
