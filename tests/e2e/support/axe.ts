/** Runs axe-core (pinned in deno.json) in a page and reports serious and critical violations. */
import axe from "axe-core";
import type { Page } from "playwright-core";

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Violations of impact serious or critical on the page as it is now (or within `include`). */
export async function seriousAxeFindings(page: Page, include?: string): Promise<AxeFinding[]> {
  if (!await page.evaluate(() => "axe" in globalThis)) {
    await page.addScriptTag({ content: axe.source });
  }
  const violations = await page.evaluate(async (selector) => {
    // deno-lint-ignore no-explicit-any
    const runner = (globalThis as any).axe;
    const result = await runner.run(selector ? { include: [selector] } : document, {
      resultTypes: ["violations"],
    });
    // deno-lint-ignore no-explicit-any
    return result.violations.map((violation: any) => ({
      id: violation.id,
      impact: violation.impact ?? "",
      help: violation.help,
      // deno-lint-ignore no-explicit-any
      targets: violation.nodes.slice(0, 5).map((node: any) =>
        `${node.target} ${node.any?.[0]?.message ?? ""}`.trim()
      ),
    }));
  }, include);
  return (violations as AxeFinding[]).filter((finding) => ["serious", "critical"].includes(finding.impact));
}

export function describeFindings(findings: AxeFinding[]): string {
  return findings.map((finding) =>
    `${finding.impact} ${finding.id}: ${finding.help} (${finding.targets.join(", ")})`
  )
    .join("\n");
}
