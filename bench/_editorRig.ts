/**
 * What `bench editor` runs on: one code-server (the same one the in-VS-Code tests use), headless
 * chromium, throwaway workspaces, and the extensions and stores each measurement needs.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { format } from "node:util";
import { type Browser, type Page } from "playwright-core";
import { launchBrowser } from "../scripts/vscode/browser.mjs";
import { SCHEMA_SQL } from "../src/node/store/schemaSql";
import { loadSqlJs } from "../src/node/store/sqlJs";
import { startCodeServer, type CodeServer } from "../scripts/vscode/server.mjs";
import { repoRoot } from "../scripts/vscode/tools.mjs";
import { buildWorkspace } from "../scripts/vscode/workspace.mjs";

export interface Rig {
  server: CodeServer;
  browser: Browser;
  scratch: string;
  stop(): Promise<void>;
}

/** Empty extensions the activation figure compares against; installed before the server starts. */
export const EMPTY_EXTENSIONS = ["bench.bench-warmup", "bench.bench-empty"];

function writeEmptyExtension(extensionsDir: string, id: string): void {
  const [publisher, name] = id.split(".") as [string, string];
  const dir = path.join(extensionsDir, `${id}-0.0.1`);
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name,
    publisher,
    version: "0.0.1",
    engines: { vscode: "^1.138.0" },
    main: "./extension.js",
  };
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest));
  writeFileSync(
    path.join(dir, "extension.js"),
    "exports.activate = () => {};\nexports.deactivate = () => {};\n",
  );
}

/** The activity-bar title and only row of the smallest tree view an extension can show. */
export const MINIMAL_TREE = { activityLabel: "Bench Tree", row: "bench-row" };

/**
 * A peer for the Workstreams view: an extension whose whole work is a tree of our shape (one expanded
 * group holding one row) in its own activity-bar container, started when the view opens.
 */
function writeMinimalTreeExtension(extensionsDir: string): void {
  const dir = path.join(extensionsDir, "bench.bench-tree-0.0.1");
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: "bench-tree",
    publisher: "bench",
    version: "0.0.1",
    engines: { vscode: "^1.138.0" },
    main: "./extension.js",
    activationEvents: ["onView:benchTree.view"],
    contributes: {
      viewsContainers: {
        activitybar: [{ id: "benchTree", title: MINIMAL_TREE.activityLabel, icon: "icon.svg" }],
      },
      views: { benchTree: [{ id: "benchTree.view", name: "Rows" }] },
    },
  };
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest));
  writeFileSync(
    path.join(dir, "icon.svg"),
    '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"><rect x="4" y="4" width="16" height="16"/></svg>',
  );
  writeFileSync(
    path.join(dir, "extension.js"),
    `const vscode = require("vscode");
const group = new vscode.TreeItem("Level 0", vscode.TreeItemCollapsibleState.Expanded);
const row = new vscode.TreeItem(${JSON.stringify(MINIMAL_TREE.row)});
exports.activate = (context) => {
  context.subscriptions.push(vscode.window.createTreeView("benchTree.view", {
    treeDataProvider: { getTreeItem: (item) => item, getChildren: (item) => (item ? (item === group ? [row] : []) : [group]) },
  }));
};
`,
  );
}

export async function startRig(): Promise<Rig> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "wsp-bench-editor-"));
  const stateDir = path.join(scratch, "state");
  for (const id of EMPTY_EXTENSIONS) writeEmptyExtension(path.join(stateDir, "extensions"), id);
  writeMinimalTreeExtension(path.join(stateDir, "extensions"));
  const server = await startCodeServer({ stateDir, smokeTestDriver: true });
  const browser = await launchBrowser();
  return {
    server,
    browser,
    scratch,
    stop: async () => {
      await browser.close().catch(() => undefined);
      await server.stop();
      for (const dir of [scratch, ...workspaces.splice(0)]) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Our built extension as a development folder whose only change is that nothing starts it eagerly
 * (no `workspaceContains`), so the bench activates it itself and times exactly that.
 */
export function lazyCopyOfExtension(scratch: string): string {
  const dir = mkdtempSync(path.join(scratch, "ours-"));
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
    activationEvents: string[];
  };
  manifest.activationEvents = manifest.activationEvents.filter(
    (event) => !event.startsWith("workspaceContains"),
  );
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest));
  for (const folder of ["dist", "schema", "config", "media", "docs"])
    symlinkSync(path.join(repoRoot, folder), path.join(dir, folder));
  return dir;
}

/** Workspaces made for the bench, removed when the rig stops. */
const workspaces: string[] = [];

/** The example workspace (workstreams, example, docs, config) in a fresh git repository. */
export function exampleWorkspace(extraFiles: Record<string, string> = {}): string {
  const workspace = buildWorkspace(repoRoot, ["workstreams", "example", "docs", "config"], "wsp-bench-ws-");
  workspaces.push(workspace);
  for (const [file, text] of Object.entries(extraFiles)) {
    mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
    writeFileSync(path.join(workspace, file), text);
  }
  return workspace;
}

/** `count` independent bundles, each valid, in workstreams/ of a fresh repository. */
export function manyBundlesWorkspace(scratch: string, count: number): string {
  const source = mkdtempSync(path.join(scratch, "many-"));
  cpSync(path.join(repoRoot, "config"), path.join(source, "config"), { recursive: true });
  mkdirSync(path.join(source, "workstreams"));
  for (let i = 0; i < count; i++) {
    const id = `ws-bench-${String(i).padStart(4, "0")}`;
    const bundle = {
      id,
      title: `Bench workstream ${i}`,
      openspec_change: `BENCH-${i}`,
      ccpm_issue: i + 1,
      gate: 1,
      files_scope: [`src/bench/${id}.js`],
      files_create: [`src/bench/${id}.js`],
      tasks: [`Write ${id}`],
      acceptance_tests: [`node --check src/bench/${id}.js`],
      depends_on: [],
      tool: "scripted",
    };
    writeFileSync(path.join(source, "workstreams", `${id}.json`), JSON.stringify(bundle, null, 2));
  }
  const workspace = buildWorkspace(source, ["workstreams", "config"], "wsp-bench-many-");
  workspaces.push(workspace);
  return workspace;
}

const TYPES = ["step_start", "tool_run", "status_changed", "step_end"] as const;

function payloadOf(type: (typeof TYPES)[number], i: number): Record<string, unknown> {
  switch (type) {
    case "step_start":
      return { step: "static", attempt: 1 };
    case "step_end":
      return { step: "static", attempt: 1, success: true };
    case "status_changed":
      return { from: "editing", to: "static_check" };
    case "tool_run":
      return {
        tool_result: {
          tool_id: "node-check",
          command_line: `node --check example/src/module-${i}.js --a-rather-long-flag=with-a-value-that-wraps-onto-the-next-line`,
          exit_code: 0,
        },
      };
  }
}

/** A store file holding one run per entry of `runs` (id → event count), built with sql.js directly. */
export async function writeStore(file: string, runs: Record<string, number>): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.run(SCHEMA_SQL);
  db.run("BEGIN");
  const insert = db.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)");
  let id = 0;
  const start = Date.parse("2026-01-01T10:00:00.000Z");
  for (const [order, [runId, count]] of Object.entries(runs).entries()) {
    // Later entries are newer runs (the panel opens on the newest).
    const at = new Date(start + order * 3_600_000).toISOString();
    db.run("INSERT INTO runs VALUES (?, 'succeeded', ?, ?, NULL)", [runId, at, at]);
    for (let i = 0; i < count; i++) {
      const type = TYPES[i % TYPES.length];
      id++;
      const ts = new Date(start + i * 10).toISOString();
      insert.run([id, ts, runId, `ws-${i % 8}`, type, JSON.stringify(payloadOf(type, i))]);
    }
  }
  insert.free();
  db.run("COMMIT");
  db.run("INSERT OR REPLACE INTO schema_meta VALUES ('journal_seq', '0')");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, db.export());
  db.close();
}

/** The workbench URL opening `folder` with `developmentPath` under development (and a tests module). */
export function workbenchUrl(
  server: CodeServer,
  folder: string,
  developmentPath: string,
  testsPath?: string,
): string {
  const remote = (file: string) => `vscode-remote://127.0.0.1:${server.port}${file}`;
  const payload = [["extensionDevelopmentPath", remote(developmentPath)]];
  if (testsPath) payload.push(["extensionTestsPath", remote(testsPath)]);
  return `${server.url}?${new URLSearchParams({ folder, payload: JSON.stringify(payload) }).toString()}`;
}

/** The extension host's console lines (they reach the page as `%c`-styled console messages). */
export function hostConsole(page: Page, onLine: (line: string) => void): void {
  page.on("console", (message) => {
    void Promise.all(message.args().map((arg) => arg.jsonValue().catch(() => "") as Promise<unknown>)).then(
      (values) => {
        if (typeof values[0] === "string" && values[0].startsWith("%c")) onLine(format(...values.slice(2)));
      },
    );
  });
}
