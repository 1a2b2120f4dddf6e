/**
 * UI checks of the editor as a cockpit: the run-events panel at its default width (beside the
 * editor) and at a wide one, and the attention section with a workstream awaiting review that the
 * inline Approve moves on.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { type Frame, type Page } from "playwright-core";
import { type UiCheck } from "./checks";
import { contextMenuChoose, openTree, panelFrame, workstreamRow } from "./runChecks";
import { normalise, runCommand, waitForWorkbench, within } from "./workbench";

interface PanelLayout {
  width: number;
  cards: boolean;
  /** Horizontal overflow of the page (0 when everything fits). */
  overflow: number;
  /** The narrowest details cell drawn, and the narrowest as a share of its row. */
  narrowestDetails: number;
  narrowestShare: number;
  rows: number;
}

async function panelLayout(frame: Frame): Promise<PanelLayout> {
  return frame.evaluate(() => {
    const list = document.querySelector(".event-list")!;
    const head = document.querySelector(".event-head")!;
    const details = [...document.querySelectorAll(".event .details")].filter(
      (cell) => cell.textContent !== "",
    );
    const widths = details.map((cell) => cell.getBoundingClientRect().width);
    const shares = details.map(
      (cell) => cell.getBoundingClientRect().width / cell.parentElement!.getBoundingClientRect().width,
    );
    return {
      width: Math.round(list.getBoundingClientRect().width),
      cards: getComputedStyle(head).display === "none",
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      narrowestDetails: Math.round(Math.min(...widths)),
      narrowestShare: Math.min(...shares),
      rows: details.length,
    };
  });
}

/** Runs ws-stock-core from the tree and waits until the panel lists its end. */
async function runStockCore(page: Page): Promise<Frame> {
  const row = await openTree(page, "ws-stock-core");
  await contextMenuChoose(page, row, "Run Workstream");
  const frame = await panelFrame(page);
  await within(
    "the panel to list the run's end",
    60_000,
    async () => (await frame.locator('.event[data-type="workstream_end"]').count()) === 1,
  );
  return frame;
}

function attentionRows(page: Page) {
  return page.locator('.pane:has(.pane-header[aria-label*="Workstreams"]) .monaco-list-row');
}

export const cockpitChecks: UiCheck[] = [
  {
    name: "the run-events panel fits its default width and a wide one: details wrap between words, nothing overflows",
    async run({ page, screenshot }) {
      await waitForWorkbench(page);
      const frame = await runStockCore(page);
      const narrow = await panelLayout(frame);
      process.stdout.write(`    default width: ${JSON.stringify(narrow)}\n`);
      assert.equal(narrow.overflow, 0, `the panel scrolls sideways at ${narrow.width} px`);
      assert.ok(narrow.rows > 10, `only ${narrow.rows} events drawn`);
      // The bug this guards: a details column squeezed to a few characters per line.
      assert.ok(narrow.narrowestDetails >= 160, `details squeezed to ${narrow.narrowestDetails} px`);
      await screenshot("run-events-panel-default-width");

      await page.setViewportSize({ width: 2400, height: 900 });
      await runCommand(page, "View: Single Column Editor Layout");
      await runCommand(page, "View: Close Primary Side Bar");
      await runCommand(page, "View: Close Secondary Side Bar");
      await runCommand(page, "Workstream Pipeline: Show Run Events");
      // Moving the panel to another group may load its frame anew.
      let wideFrame = frame;
      // A reloaded frame lists its events a moment after it paints: wait for both.
      await within("the panel to widen and list the run's events", 15_000, async () => {
        wideFrame = await panelFrame(page);
        const layout = await panelLayout(wideFrame).catch(() => ({ width: 0, rows: 0 }));
        return layout.width > 1500 && layout.rows > 10;
      });
      const wide = await panelLayout(wideFrame);
      process.stdout.write(`    wide: ${JSON.stringify(wide)}\n`);
      assert.ok(wide.rows > 10, `only ${wide.rows} events drawn`);
      assert.equal(wide.cards, false, "a wide panel shows the events as a table");
      assert.equal(wide.overflow, 0, `the panel scrolls sideways at ${wide.width} px`);
      assert.ok(wide.narrowestShare > 0.4, `details get ${Math.round(wide.narrowestShare * 100)}% of a row`);
      const lanes = await wideFrame.locator(".lane .track").first().boundingBox();
      assert.ok(lanes && lanes.width > 0.5 * wide.width, "the timeline scales to the width");
      await screenshot("run-events-panel-wide");
    },
  },
  {
    name: "the attention section shows a workstream awaiting review, and Approve moves it on",
    async run({ page, workspace, screenshot }) {
      writeFileSync(path.join(workspace, "config", "merge_queue.yaml"), "review: required\n");
      await waitForWorkbench(page);
      await runStockCore(page);
      const section = attentionRows(page).filter({ hasText: "Waiting on you" }).first();
      await section.waitFor({ timeout: 30_000 });
      const waiting = attentionRows(page).filter({ hasText: "awaits your review" }).first();
      await waiting.waitFor({ timeout: 10_000 });
      assert.match(normalise(await waiting.innerText()), /ws-stock-core/);
      // The view's count shows once the activity-bar entry is no longer showing progress instead.
      const badge = page.locator('.activitybar [aria-label^="Workstream Pipeline"] .badge').first();
      await within("the view's badge to count 1", 10_000, async () =>
        /1/.test(normalise(await badge.innerText({ timeout: 1000 }).catch(() => ""))),
      );
      const statusBar = page
        .locator(".statusbar-item", { hasText: "1" })
        .filter({ has: page.locator(".codicon-bell-dot") });
      assert.equal(await statusBar.count(), 1, "the status bar counts the waiting workstream");
      await screenshot("attention-awaiting-review");
      await waiting.hover();
      await waiting.locator('.action-label[aria-label="Approve Workstream"]').click();
      await within("the section to empty after Approve", 30_000, async () => (await section.count()) === 0);
      await within(
        "ws-stock-core still listed, done",
        10_000,
        async () => (await workstreamRow(page, "ws-stock-core").locator(".codicon-pass").count()) > 0,
      );
      await screenshot("attention-after-approve");
    },
  },
];
