/**
 * UI checks: what a person sees in the workbench, driven through chromium. Each check gets a fresh
 * page and a fresh copy of the example workspace (scripts/vscode/run.mjs).
 */
import assert from "node:assert/strict";
import { type Page } from "playwright-core";
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

const WORKSTREAMS = ["ws-inventory-audit", "ws-inventory-core", "ws-inventory-report"];

async function showWorkstreams(page: Page): Promise<string[]> {
  await page.locator('.activitybar [aria-label="Workstream Pipeline"]').first().click();
  const tree = page.locator('.pane:has(.pane-header[aria-label*="Workstreams"]) .monaco-list-row');
  await within("the Workstreams tree to list the workstreams", 30_000, async () => {
    const rows = (await tree.allInnerTexts()).map(normalise).join("\n");
    return WORKSTREAMS.every((id) => rows.includes(id));
  });
  return (await tree.allInnerTexts()).map(normalise);
}

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
      assert.ok(rows.some((row) => row.includes("ws-inventory-report") && row.includes("Low-stock report")));
      await screenshot("tree");
    },
  },
  {
    name: "an unknown dependency shows in Problems within 1 s of typing and clears when removed",
    async run({ page, screenshot }) {
      await waitForWorkbench(page);
      await showWorkstreams(page);
      await openFile(page, "workstreams/ws-inventory-report.json");
      await problems(page);
      await selectText(page, '"ws-inventory-core"]');
      await page.keyboard.press("ArrowLeft");
      await page.keyboard.press("End");
      await selectText(page, '"ws-inventory-core"');
      await page.keyboard.press("ArrowRight");
      await page.keyboard.type(', "ws-nowhere');
      const shownAfter = await within("the unknown dependency in Problems", 1000, async () =>
        (await problems(page)).some((row) => row.includes('Unknown dependency "ws-nowhere"')),
      );
      await screenshot("bundle-with-problem");
      assert.ok(shownAfter <= 1000);
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
      await openFile(page, "workstreams/ws-inventory-core.json");
      await selectText(page, '"depends_on": []');
      // Delete the selection first (a quote typed over a selection surrounds it), then insert the
      // text as one input event, as a paste would be, so auto-closing quotes do not double up.
      await page.keyboard.press("Backspace");
      await page.keyboard.insertText('"depends_on": ["ws-inventory-report"]');
      await within("cycle problems for both members", 3000, async () => {
        const rows = (await problems(page)).join("\n");
        return (
          rows.includes("ws-inventory-core.json") &&
          rows.includes("ws-inventory-report.json") &&
          (rows.match(/Dependency cycle/g) ?? []).length >= 2
        );
      });
      await screenshot("problems-cycle");
    },
  },
  {
    name: "Go to Definition on a tag in a bundle lands on the doc heading, and hover shows its description",
    async run({ page, screenshot }) {
      await waitForWorkbench(page);
      await showWorkstreams(page);
      await openFile(page, "workstreams/ws-inventory-core.json");
      await selectText(page, "IDX-INV-STOCK-01");
      await runCommand(page, "Show or Focus Hover");
      const hover = page.locator(".monaco-hover").filter({ hasText: "Stock levels" }).first();
      await hover.waitFor({ timeout: 10_000 });
      assert.match(normalise(await hover.innerText()), /IDX-INV-STOCK-01[\s\S]*Coverage: covered/);
      await screenshot("hover");
      await page.keyboard.press("Escape");
      await page.keyboard.press("F12");
      await page.locator(".tab.active", { hasText: "spec.md" }).waitFor({ timeout: 10_000 });
      const status = page.locator(".statusbar");
      await within("the cursor on the heading line (Ln 3)", 5000, async () =>
        /Ln 3, Col \d+/.test(normalise(await status.innerText())),
      );
      await screenshot("definition");
    },
  },
];
