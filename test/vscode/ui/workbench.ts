/** Small drivers for the code-server workbench page: what a person would click and type. */
import { type Page } from "playwright-core";

/** Monaco renders spaces as U+00A0; match on normal spaces. */
export function normalise(text: string): string {
  return text.replace(/\u00a0/g, " ");
}

/** Waits until the workbench is up and our view container is in the activity bar. */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.waitForSelector(".monaco-workbench", { timeout: 90_000 });
  await page.locator('.activitybar [aria-label="Workstream Pipeline"]').first().waitFor({ timeout: 60_000 });
}

/** Runs a command from the command palette by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor();
  try {
    await input.fill(`>${title}`, { timeout: 5_000 });
  } catch {
    // F1 pressed while a webview (the run-events panel) had focus can leave the palette inert:
    // close it and open it from the title bar's command center instead.
    await page.keyboard.press("Escape");
    await page.locator(".command-center-center").click();
    await input.fill(`>${title}`);
  }
  await page.locator(".quick-input-list .monaco-list-row").first().waitFor();
  await page.keyboard.press("Enter");
}

/** Opens a workspace file through Quick Open and waits for its tab. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor();
  await input.fill(relativePath);
  await page.locator(".quick-input-list .monaco-list-row").first().waitFor();
  await page.keyboard.press("Enter");
  const name = relativePath.split("/").pop()!;
  await page.locator(".tab.active", { hasText: name }).waitFor();
  await page.locator(".editor-instance .monaco-editor .view-lines").first().waitFor();
}

/** Selects the first occurrence of `text` in the active editor (Find, then close the widget). */
export async function selectText(page: Page, text: string): Promise<void> {
  await page.locator(".editor-instance .monaco-editor .view-lines").first().click();
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("Control+F");
  const find = page.locator(".find-widget textarea, .find-widget input").first();
  await find.waitFor();
  await find.fill(text);
  await page.keyboard.press("Enter");
  await page.keyboard.press("Escape");
}

/** The Problems panel's rows as plain text (opens the panel). */
export async function problems(page: Page): Promise<string[]> {
  const panel = page.locator(".markers-panel");
  if (!(await panel.isVisible().catch(() => false))) await runCommand(page, "View: Focus Problems");
  await panel.waitFor();
  return (await panel.locator(".monaco-list-row").allInnerTexts()).map(normalise);
}

/** Polls `probe` until it is true; returns the milliseconds it took or throws after `timeoutMs`. */
export async function within(
  what: string,
  timeoutMs: number,
  probe: () => Promise<boolean>,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
