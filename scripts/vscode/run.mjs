/* global URLSearchParams, setTimeout, clearTimeout */
// Runs the extension's tests in a real VS Code (code-server + headless Debian chromium):
//   1. the in-host mocha suite (test/vscode/suite), through the workbench's smoke-test hook;
//   2. the UI checks (test/vscode/ui), driving the page like a person would.
// Prints `vscode: N passed, N failed`, exits non-zero on any failure or timeout, and saves
// screenshots to test-artifacts/. Usage: node --import tsx scripts/vscode/run.mjs [--suite-only|--ui-only]
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { format } from "node:util";
import { launchBrowser } from "./browser.mjs";
import { buildTestSuite } from "./buildTests.mjs";
import { installVscodeTools } from "./install.mjs";
import { installVsix, startCodeServer } from "./server.mjs";
import { repoRoot } from "./tools.mjs";
import { buildWorkspace } from "./workspace.mjs";

const timeoutMs = Number(process.env.WSP_VSCODE_TIMEOUT_MS ?? 240_000);
const verbose = process.env.WSP_VSCODE_VERBOSE === "1";
export const artifactsDir = path.join(repoRoot, "test-artifacts", "vscode");
// The in-host suite runs on a small fixture it controls; the UI checks on the repository's own
// example set, which is what `npm start` shows a person.
const fixtureRoot = path.join(repoRoot, "test", "vscode", "fixtures", "workspace");
const workspaceFolders = ["workstreams", "example", "docs", "config"];

function say(line) {
  process.stdout.write(`${line}\n`);
}

function remoteUri(port, absolutePath) {
  return `vscode-remote://127.0.0.1:${port}${absolutePath}`;
}

/** The workbench URL that opens `folder` with our extension under development (and maybe tests). */
export function workbenchUrl(server, folder, testsPath) {
  if (server.installed) return `${server.url}?${new URLSearchParams({ folder }).toString()}`;
  const payload = [["extensionDevelopmentPath", remoteUri(server.port, repoRoot)]];
  if (testsPath) payload.push(["extensionTestsPath", remoteUri(server.port, testsPath)]);
  const query = new URLSearchParams({ folder, payload: JSON.stringify(payload) });
  return `${server.url}?${query.toString()}`;
}

async function screenshot(page, name) {
  mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file }).catch(() => undefined);
  return file;
}

/** Runs the in-host suite; resolves to { passed, failed }. */
async function runSuite(browser, server) {
  const testsPath = await buildTestSuite();
  const workspace = buildWorkspace(fixtureRoot, workspaceFolders, "wsp-vscode-suite-");
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let summary;
  const output = [];
  let mochaStarted = false;
  let lines = Promise.resolve();
  page.on("console", (message) => {
    // The extension host's console arrives as console.log('%c INFO', 'color: …', fmt, ...args).
    lines = lines.then(async () => {
      const values = await Promise.all(message.args().map((arg) => arg.jsonValue().catch(() => "")));
      if (typeof values[0] !== "string" || !values[0].startsWith("%c")) {
        if (verbose) say(`  [page] ${message.text()}`);
        return;
      }
      const text = format(...values.slice(2));
      output.push(text);
      const match = /^vscode-suite: (\d+) passed, (\d+) failed/.exec(text);
      if (match) summary = { passed: Number(match[1]), failed: Number(match[2]) };
      // Mocha's report starts with an empty line; before it, the console carries workbench start-up
      // noise. Workbench log lines carry a [component] tag; mocha's do not.
      if (text === "") mochaStarted = true;
      if (verbose || (mochaStarted && !/^\s*\[[\w .-]+\]/.test(text))) say(`  ${text}`);
    });
  });
  let resolveExit;
  const exited = new Promise((resolve) => (resolveExit = resolve));
  await page.exposeFunction("codeAutomationExit", (code) => resolveExit(Number(code)));
  await page.goto(workbenchUrl(server, workspace, testsPath));
  let timer;
  const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  const code = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  await lines;
  if (code === "timeout" || code !== 0 || !summary || summary.failed > 0) {
    const shot = await screenshot(page, "suite-failure");
    writeFileSync(path.join(artifactsDir, "suite-output.log"), output.join("\n") + "\n");
    say(
      `vscode-suite: ${code === "timeout" ? `timed out after ${timeoutMs / 1000} s` : `exit code ${code}`}; screenshot ${shot}`,
    );
  }
  await page.close();
  rmSync(workspace, { recursive: true, force: true });
  if (!summary) return { passed: 0, failed: 1 };
  return { passed: summary.passed, failed: summary.failed + (code === 0 ? 0 : summary.failed === 0 ? 1 : 0) };
}

/** Runs each UI check on a fresh page and workspace; resolves to { passed, failed }. */
async function runUiChecks(browser, server, which = "uiChecks") {
  const { [which]: uiChecks } = await import("../../test/vscode/ui/checks.ts");
  let passed = 0;
  let failed = 0;
  // WSP_VSCODE_ONLY=<text> runs only the UI checks whose name contains it (while working on one).
  const only = process.env.WSP_VSCODE_ONLY;
  for (const check of uiChecks.filter((candidate) => !only || candidate.name.includes(only))) {
    const workspace = buildWorkspace(repoRoot, workspaceFolders, "wsp-vscode-ui-");
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const started = Date.now();
    try {
      await page.goto(workbenchUrl(server, workspace));
      await check.run({ page, workspace, screenshot: (name) => screenshot(page, name) });
      passed++;
      say(`  ✔ ui: ${check.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed++;
      const shot = await screenshot(page, `ui-failure-${check.name.replace(/\W+/g, "-")}`);
      say(
        `  ✘ ui: ${check.name}\n    ${String(error instanceof Error ? error.message : error)
          .split("\n")
          .join("\n    ")}\n    screenshot: ${shot}`,
      );
    }
    await page.close();
    rmSync(workspace, { recursive: true, force: true });
  }
  say(`vscode-ui: ${passed} passed, ${failed} failed`);
  return { passed, failed };
}

/**
 * The checks that need Workspace Trust: a second code-server, started without disabling it, with the
 * packaged .vsix installed (an extension under development would be trusted by VS Code anyway).
 */
async function runUntrustedChecks(browser) {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), "wsp-vscode-untrusted-"));
  const { packageExtension } = await import("./package.mjs");
  await installVsix(packageExtension({ quiet: true }), stateDir);
  const server = await startCodeServer({ stateDir, workspaceTrust: true });
  try {
    return await runUiChecks(browser, { ...server, installed: true }, "untrustedChecks");
  } finally {
    await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function main() {
  const suiteOnly = process.argv.includes("--suite-only");
  const uiOnly = process.argv.includes("--ui-only");
  installVscodeTools();
  execFileSync(process.execPath, ["esbuild.mjs"], { cwd: repoRoot, stdio: "inherit" });
  rmSync(artifactsDir, { recursive: true, force: true });
  const stateDir = mkdtempSync(path.join(os.tmpdir(), "wsp-vscode-state-"));
  const serverLog = [];
  const server = await startCodeServer({
    stateDir,
    smokeTestDriver: true,
    log: (line) => serverLog.push(line),
  });
  let browser;
  const totals = { passed: 0, failed: 0 };
  try {
    browser = await launchBrowser();
    const parts = [];
    if (!uiOnly) parts.push(runSuite);
    if (!suiteOnly) parts.push(runUiChecks, runUntrustedChecks);
    for (const part of parts) {
      const result = await part(browser, server);
      totals.passed += result.passed;
      totals.failed += result.failed;
    }
  } catch (error) {
    totals.failed++;
    say(`vscode: ${error instanceof Error ? error.stack : String(error)}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
    if (totals.failed > 0 && serverLog.length > 0) {
      mkdirSync(artifactsDir, { recursive: true });
      writeFileSync(path.join(artifactsDir, "code-server.log"), serverLog.join("\n") + "\n");
    }
    rmSync(stateDir, { recursive: true, force: true });
  }
  say(`vscode: ${totals.passed} passed, ${totals.failed} failed`);
  process.exitCode = totals.failed > 0 || totals.passed === 0 ? 1 : 0;
}

await main();
