/**
 * UI checks: what a person sees in the workbench, driven through chromium. Each check gets a fresh
 * page and a fresh copy of the example workspace (scripts/vscode/run.mjs).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Page } from "playwright-core";
import { cockpitChecks } from "./cockpitChecks";
import { runChecks, untrustedChecks } from "./runChecks";
import { normalise, openFile, problems, runCommand, selectText, waitForWorkbench, within } from "./workbench";

export interface UiCheckContext {
  page: Page;
  workspace: string;
  screenshot: (name: string) => Promise<string>;
}

export interface UiCheck {
  name: string;
  run(context: UiCheckContext): Promise<void>;
}

/** The example set's ids, read from the repository's workstreams/ (the same files the workspace copies). */
const WORKSTREAMS = readdirSync(path.join(process.cwd(), "workstreams"))
  .filter((name) => name.endsWith(".json"))
  .map(
    (name) =>
      (JSON.parse(readFileSync(path.join(process.cwd(), "workstreams", name), "utf8")) as { id: string }).id,
  );

async function showWorkstreams(page: Page): Promise<string[]> {
  await page.locator('.activitybar [aria-label="Workstream Pipeline"]').first().click();
  const tree = page.locator('.pane:has(.pane-header[aria-label*="Workstreams"]) .monaco-list-row');
  await within("the Workstreams tree to list the workstreams", 30_000, async () => {
    const rows = (await tree.allInnerTexts()).map(normalise).join("\n");
    return WORKSTREAMS.every((id) => rows.includes(id));
  });
  return (await tree.allInnerTexts()).map(normalise);
}

export { untrustedChecks };

export const uiChecks: UiCheck[] = [
  {
    name: "the Workstreams tree lists the example workstreams, grouped by level",
    async run({ page, screenshot }) {
      await waitForWorkbench(page);
      const rows = await showWorkstreams(page);
      assert.ok(
        rows.some((row) => row.startsWith("Level 0")),
        rows.join(" | "),
      );
      assert.ok(WORKSTREAMS.length >= 3, `the example set has workstreams: ${WORKSTREAMS.join(", ")}`);
      assert.ok(
        rows.some((row) => row.includes("ws-report") && row.includes("Stock report")),
        rows.join(" | "),
      );
      await screenshot("tree");
    },
  },
  {
    name: "an unknown dependency shows in Problems within 1 s of typing and clears when removed",
    async run({ page, screenshot }) {
      await waitForWorkbench(page);
      await showWorkstreams(page);
      await openFile(page, "workstreams/ws-report.json");
      await problems(page);
      await selectText(page, '"ws-reorder"');
      await page.keyboard.press("ArrowRight");
      await page.keyboard.type(', "ws-nowhere');
      // The 1 s latency itself is asserted in-host (test/vscode/suite/diagnostics.test.ts), where it is
      // measured from the edit to the published diagnostic. Here the browser must also type and render
      // the Problems panel, which a loaded machine slows, so this check waits longer and logs the time.
      const shownAfter = await within("the unknown dependency in Problems", 5000, async () =>
        (await problems(page)).some((row) => row.includes('Unknown dependency "ws-nowhere"')),
      );
      await screenshot("bundle-with-problem");
      process.stdout.write(`    shown in Problems ${shownAfter} ms after typing\n`);
      await selectText(page, ', "ws-nowhere"');
      await page.keyboard.press("Backspace");
      await within("the problem to clear", 2000, async () =>
        (await problems(page)).every((row) => !row.includes("ws-nowhere")),
      );
    },
  },
  {
    name: "a dependency cycle marks every member in Problems",
    async run({ page, screenshot }) {
      await waitForWorkbench(page);
      await showWorkstreams(page);
      await openFile(page, "workstreams/ws-stock-core.json");
      await selectText(page, '"depends_on": []');
      // Delete the selection first (a quote typed over a selection surrounds it), then insert the
      // text as one input event, as a paste would be, so auto-closing quotes do not double up.
      await page.keyboard.press("Backspace");
      await page.keyboard.insertText('"depends_on": ["ws-report"]');
      await within("cycle problems on every member", 10000, async () => {
        const rows = (await problems(page)).join("\n");
        return (
          ["ws-stock-core.json", "ws-pricing.json", "ws-reorder.json", "ws-report.json"].every((file) =>
            rows.includes(file),
          ) && (rows.match(/Dependency cycle/g) ?? []).length >= 4
        );
      });
      await screenshot("problems-cycle");
    },
  },
  {
    name: "Go to Definition on a tag in a bundle lands on its definition in the spec, and hover shows its description",
    async run({ page, screenshot }) {
      await waitForWorkbench(page);
      await showWorkstreams(page);
      await openFile(page, "workstreams/ws-report.json");
      await selectText(page, "IDX-INV-REPORT-01");
      await runCommand(page, "Show or Focus Hover");
      const hover = page
        .locator(".monaco-hover")
        .filter({ hasText: "Defined in docs/example/spec.md" })
        .first();
      await hover.waitFor({ timeout: 10_000 });
      // The description of a tag in a list item is the heading above it ("Report").
      assert.match(normalise(await hover.innerText()), /IDX-INV-REPORT-01\s+Report[\s\S]*Coverage: covered/);
      await screenshot("hover");
      await page.keyboard.press("Escape");
      await page.keyboard.press("F12");
      await page.locator(".tab.active", { hasText: "spec.md" }).waitFor({ timeout: 10_000 });
      const status = page.locator(".statusbar");
      const definitionLine =
        readFileSync(path.join(process.cwd(), "docs", "example", "spec.md"), "utf8")
          .split("\n")
          .findIndex((line) => line.includes("[IDX-INV-REPORT-01]")) + 1;
      await within(`the cursor on the definition (Ln ${definitionLine})`, 5000, async () =>
        new RegExp(`Ln ${definitionLine}, Col \\d+`).test(normalise(await status.innerText())),
      );
      await screenshot("definition");
    },
  },
  ...runChecks,
  ...cockpitChecks,
];
