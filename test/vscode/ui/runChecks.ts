/**
 * UI checks of runs: right-click Run in the tree, the run's output channel, the tree icon, the
 * run-events panel (and a screenshot of it during a run), untrusted tool output shown as text, and
 * an untrusted workspace refusing to run.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Frame, type Locator, type Page } from "playwright-core";
import { type UiCheck } from "./checks";
import { normalise, waitForWorkbench, within } from "./workbench";

/** The workstream's own row (not its entry under "Waiting on you"). */
export function workstreamRow(page: Page, id: string): Locator {
  return page
    .locator(
      '.pane:has(.pane-header[aria-label*="Workstreams"]) .monaco-list-row:not([aria-label^="Waiting on you"])',
    )
    .filter({ hasText: id })
    .first();
}

export async function openTree(page: Page, id: string): Promise<Locator> {
  await page.locator('.activitybar [aria-label="Workstream Pipeline"]').first().click();
  const row = workstreamRow(page, id);
  await row.waitFor({ timeout: 30_000 });
  return row;
}

/** The context menu's item with this title (code-server draws menus in the page). */
function menuItem(page: Page, title: string): Locator {
  return page.locator(".monaco-menu .action-item").filter({ hasText: title }).first();
}

/** Whether a context-menu item is greyed out (code-server marks the item or its label). */
async function isDisabled(item: Locator): Promise<boolean> {
  const own = (await item.getAttribute("class").catch(() => "")) ?? "";
  return own.includes("disabled") || (await item.locator(".disabled").count()) > 0;
}

/**
 * Right-clicks a tree row and chooses a menu item. Right after the window opens, the workbench may
 * not have settled `isWorkspaceTrusted` yet, which greys out the run items: the menu is then closed
 * and opened again until the item is enabled. A click landing while the menu still opens can be
 * swallowed, so the menu gets a moment, and the click is repeated while the menu stays open.
 */
export async function contextMenuChoose(page: Page, row: Locator, title: string): Promise<void> {
  const item = menuItem(page, title);
  await within(`"${title}" enabled in the context menu`, 20_000, async () => {
    await row.click({ button: "right" });
    await item.waitFor({ timeout: 10_000 });
    if (!(await isDisabled(item))) return true;
    await page.keyboard.press("Escape");
    await new Promise((resolve) => setTimeout(resolve, 500));
    return false;
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (let attempt = 0; attempt < 3 && (await item.isVisible().catch(() => false)); attempt++) {
    await item.click({ timeout: 5000 }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (await item.isVisible().catch(() => false))
    throw new Error(`the context menu stayed open after choosing "${title}" three times`);
}

/** Resolves false instead of waiting on a frame that is still loading or has been detached. */
async function boundedEvaluate(frame: Frame, probe: () => boolean, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([frame.evaluate(probe).catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the workbench showed, for a failure message: notifications and the output panel. */
async function workbenchState(page: Page): Promise<string> {
  const toasts = await page
    .locator(".notifications-toasts")
    .innerText({ timeout: 2000 })
    .catch(() => "");
  return `notifications: ${normalise(toasts) || "(none)"}\noutput: ${(await outputText(page)) || "(empty)"}`;
}

/** The run-events webview's content frame, once it has rendered. */
export async function panelFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  let found: Frame | undefined;
  await within("the run-events panel", timeoutMs, async () => {
    for (const frame of page.frames()) {
      const ready = await boundedEvaluate(
        frame,
        () => document.getElementById("app") !== null && document.body.dataset.eventCount !== undefined,
      );
      if (ready) {
        found = frame;
        return true;
      }
    }
    return false;
  }).catch(async (error: Error) => {
    throw new Error(`${error.message}\n${await workbenchState(page)}`);
  });
  return found!;
}

/** Makes a workstream of the example copy slower, so a screenshot can catch it running. */
function slowDown(workspace: string, id: string, seconds: number): void {
  const file = path.join(workspace, "workstreams", `${id}.json`);
  const bundle = JSON.parse(readFileSync(file, "utf8")) as { acceptance_tests: string[] };
  bundle.acceptance_tests = [`sleep ${seconds}`, ...bundle.acceptance_tests];
  writeFileSync(file, JSON.stringify(bundle, null, 2));
}

/** Output panel text (the run's channel is shown when the run starts). */
async function outputText(page: Page): Promise<string> {
  return normalise(
    (await page
      .locator(".part.panel .view-lines")
      .first()
      .innerText()
      .catch(() => "")) ?? "",
  );
}

export const runChecks: UiCheck[] = [
  {
    name: "right-click Run: the channel shows the steps, the tree icon turns done, the panel lists the events",
    async run({ page, workspace, screenshot }) {
      await waitForWorkbench(page);
      slowDown(workspace, "ws-stock-core", 3);
      const row = await openTree(page, "ws-stock-core");
      await contextMenuChoose(page, row, "Run Workstream");
      const frame = await panelFrame(page);
      await within(
        "the panel to list running steps",
        15_000,
        async () => (await frame.locator(".event").count()) > 3,
      );
      await within(
        "the RUNTIME step to be running",
        15_000,
        async () => (await frame.locator(".bar.step-runtime.running").count()) > 0,
      );
      await screenshot("run-events-panel-during-run");
      await within(
        "the tree icon to turn done",
        30_000,
        async () => (await workstreamRow(page, "ws-stock-core").locator(".codicon-pass").count()) > 0,
      );
      const lines = ["✔ RUNTIME", "✔ SCOPE", "runtime_tests → done", "workstream_end: done"];
      let channel = "";
      await within("the output channel to show the steps", 10_000, async () => {
        channel = await outputText(page);
        return lines.every((line) => channel.includes(line));
      }).catch((error: Error) => {
        throw new Error(`${error.message}:\n${channel}`);
      });
      await within(
        "the panel to list the run's end",
        10_000,
        async () => (await frame.locator('.event[data-type="workstream_end"]').count()) === 1,
      );
      const types = await frame.locator(".event .type").allInnerTexts();
      for (const type of ["step_start", "step_end", "tool_run", "status_changed"])
        assert.ok(types.includes(type), `panel lacks ${type}: ${types.join(", ")}`);
      await screenshot("run-events-panel-after-run");
    },
  },
  {
    name: "tool output holding markup shows as text in the panel, and no script runs",
    async run({ page, workspace, screenshot }) {
      const dialogs: string[] = [];
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const profiles = path.join(workspace, "config", "tool_profiles.json");
      const config = JSON.parse(readFileSync(profiles, "utf8")) as Record<string, unknown>;
      config["loud-lint"] = {
        kind: "static",
        command: "{node}",
        args: ["-e", "console.log('lint: <img src=x onerror=alert(1)> is not allowed');process.exit(1)"],
      };
      writeFileSync(profiles, JSON.stringify(config, null, 2));
      const bundle = path.join(workspace, "workstreams", "ws-docs.json");
      const docs = JSON.parse(readFileSync(bundle, "utf8")) as Record<string, unknown>;
      writeFileSync(
        bundle,
        JSON.stringify(
          { ...docs, static_tools: ["loud-lint"], circuit_breaker: { max_fix_attempts: 0 } },
          null,
          2,
        ),
      );
      await waitForWorkbench(page);
      const row = await openTree(page, "ws-docs");
      await contextMenuChoose(page, row, "Run Workstream");
      const frame = await panelFrame(page);
      const output = frame.locator("pre.output").first();
      await within("the failing output in the panel", 30_000, async () =>
        (await output.innerText().catch(() => "")).includes("<img src=x onerror=alert(1)>"),
      );
      assert.equal(await frame.locator("img").count(), 0, "an <img> element was created from tool output");
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(dialogs, [], "a dialog opened: a script ran");
      await within(
        "the tree icon to turn failed",
        20_000,
        async () => (await workstreamRow(page, "ws-docs").locator(".codicon-error").count()) > 0,
      );
      await screenshot("run-events-panel-error");
    },
  },
];

/** Checks that need a code-server that asks for Workspace Trust (the others start with it disabled). */
export const untrustedChecks: UiCheck[] = [
  {
    name: "an untrusted workspace refuses to run, yet lists the workstreams",
    async run({ page, workspace, screenshot }) {
      await page.waitForSelector(".monaco-workbench", { timeout: 90_000 });
      // VS Code asks whether to trust the folder; answer no, as someone opening a stranger's repository.
      // (code-server may open straight into Restricted Mode without asking.)
      const dontTrust = page.getByRole("button", { name: /No, I don.t trust the authors|Don.t Trust/ });
      await dontTrust
        .first()
        .click({ timeout: 5000 })
        .catch(() => undefined);
      await page.locator(".statusbar", { hasText: "Restricted Mode" }).waitFor({ timeout: 30_000 });
      await waitForWorkbench(page);
      const row = await openTree(page, "ws-stock-core");
      await row.click({ button: "right" });
      const run = menuItem(page, "Run Workstream");
      await run.waitFor({ timeout: 10_000 });
      assert.ok(await isDisabled(run), "Run Workstream is enabled in an untrusted workspace");
      await screenshot("untrusted-context-menu");
      await page.keyboard.press("Escape");
      // From the palette it is either not offered or, when invoked, explains itself and runs nothing.
      await page.keyboard.press("F1");
      const input = page.locator(".quick-input-widget input");
      await input.fill(">Workstream Pipeline: Run Workstream");
      await new Promise((resolve) => setTimeout(resolve, 500));
      const offered = (await page.locator(".quick-input-list .monaco-list-row").allInnerTexts()).map(
        normalise,
      );
      if (offered.some((text) => /Run Workstream$/m.test(text.split("\n")[0] ?? ""))) {
        await page.keyboard.press("Enter");
        await within("the explanation", 5000, async () =>
          (
            await page
              .locator(".notifications-toasts")
              .innerText()
              .catch(() => "")
          ).includes("trust the workspace"),
        );
      }
      await page.keyboard.press("Escape");
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.ok(!existsSync(path.join(workspace, "state", "pipeline.db")), "a run was recorded");
      assert.ok(!existsSync(path.join(workspace, ".worktrees", "ws-stock-core")), "a worktree was created");
    },
  },
];
