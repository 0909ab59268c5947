/**
 * The project's one escapeHtml and one sleep (supabase/functions/_shared/), used by the functions,
 * the devstack and the tests alike (issue 25). Telegram's HTML parse mode decodes the named
 * entities &lt; &gt; &amp; &quot; and every numeric reference (core.telegram.org/bots/api#html-style),
 * so the escape is read back as the text it escaped, by the stand-in's parser and by the length
 * count the bot pages with.
 */
import assert from "node:assert/strict";
import { escapeHtml } from "../../supabase/functions/_shared/html.ts";
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import { visibleLength } from "../../supabase/functions/_shared/telegram-length.ts";
import { checkMessageText } from "../../devstack/telegram/html.ts";

Deno.test("escapeHtml's output reads back in Telegram as the text it escaped, quotes included", () => {
  const text = `Mom's "big" <walk> & tea, 'twice'`;
  const escaped = escapeHtml(text);
  assert.equal(escaped, "Mom&#39;s &quot;big&quot; &lt;walk&gt; &amp; tea, &#39;twice&#39;");
  const parsed = checkMessageText(`<b>${escaped}</b>`, "HTML");
  assert.ok(parsed.ok);
  assert.equal(parsed.text, text);
  assert.equal(visibleLength(escaped), text.length);
});

Deno.test("sleep waits its time, and an abort ends it early without rejecting", async () => {
  const started = performance.now();
  await sleep(30);
  assert.ok(performance.now() - started >= 25);
  const controller = new AbortController();
  const early = performance.now();
  const waiting = sleep(10_000, controller.signal);
  controller.abort();
  await waiting;
  controller.abort();
  await sleep(10_000, controller.signal);
  assert.ok(performance.now() - early < 1_000);
});

/**
 * Waits that cannot import the one sleep: a throwaway function's source, written to disk as text for
 * the functions host, which runs it alone.
 */
const WRITTEN_OUT_ALLOWED: Record<string, string[]> = {
  "tests/devstack/functions_test.ts": ["await new Promise((resolve) => setTimeout(resolve, 3000));"],
};

Deno.test("no second escapeHtml or sleep is defined or written out anywhere in the tree", async () => {
  const files = new TextDecoder().decode(
    (await new Deno.Command("git", { args: ["ls-files", "-co", "--exclude-standard", "*.ts", "*.svelte"] })
      .output()).stdout,
  ).split("\n").filter((file) => file && !file.startsWith("tools/") && !import.meta.url.endsWith(file));
  const definitions: string[] = [];
  const inlineSleeps: string[] = [];
  for (const file of files) {
    const text = await Deno.readTextFile(file).catch(() => "");
    if (/(?:function|const|let)\s+(?:escapeHtml|sleep)\b/.test(text)) definitions.push(file);
    // A sleep written out in place is a second sleep too.
    for (const line of text.split("\n")) {
      if (!/new Promise(?:<void>)?\(\((\w+)\) => setTimeout\(\1,/.test(line)) continue;
      if (WRITTEN_OUT_ALLOWED[file]?.includes(line.trim())) continue;
      inlineSleeps.push(`${file}: ${line.trim()}`);
    }
  }
  assert.deepEqual(definitions.sort(), [
    "supabase/functions/_shared/html.ts",
    "supabase/functions/_shared/sleep.ts",
  ]);
  assert.deepEqual(inlineSleeps, [], "use sleep from supabase/functions/_shared/sleep.ts");
});
