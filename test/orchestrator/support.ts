/** Temp workspaces for orchestrator tests: a git repo with bundles, configs and a tiny project. */
import { cpSync, readFileSync } from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { createTempRepo, type TempRepo } from "../support/tempRepo";
import { captureIO } from "../../src/cli/io";
import { openStore } from "../../src/node/store";
import { type Store } from "../../src/core/store";

export const REPO = path.resolve(__dirname, "..", "..");
export const STANDIN_BIN = path.join(__dirname, "fixtures", "bin");

const MATH = "function add(a, b) {\n  return 0;\n}\nmodule.exports = { add };\n";
const MATH_TEST = [
  'const test = require("node:test");',
  'const assert = require("node:assert");',
  'const { add } = require("../src/math.js");',
  'test("adds", () => assert.strictEqual(add(2, 3), 5));',
  "",
].join("\n");

/** Short limits so failing scenarios end quickly. */
export const FAST_BREAKERS = [
  "defaults:",
  "  max_attempts_per_step: 3",
  "  max_fix_attempts_per_step: 2",
  "  max_attempts_per_error_signature: 2",
  "  max_wall_clock_sec: 60",
  "",
].join("\n");

export function bundle(id: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    openspec_change: `CH-${id}`,
    ccpm_issue: 1,
    gate: 1,
    files_scope: ["src/math.js"],
    files_create: [],
    tasks: ["Make add(a, b) return the sum"],
    acceptance_tests: ["node --test test/math.test.js"],
    depends_on: [],
    // The aider stand-in: the real CLIs (codex, claude-code, ...) are exercised in test/agents.
    tool: "aider",
    static_tools: ["node-check"],
    ...fields,
  };
}

export interface Workspace extends TempRepo {
  env: NodeJS.ProcessEnv;
  dbPath: string;
  io(): ReturnType<typeof captureIO>;
  openStore(): Promise<Store>;
}

/** A repo with `bundles` in workstreams/, the shipped tool profiles and fast breakers, and the aider stand-in on PATH. */
export function createWorkspace(
  bundles: Record<string, unknown>[],
  files: Record<string, string> = {},
  env: NodeJS.ProcessEnv = {},
): Workspace {
  const repo = createTempRepo({
    "src/math.js": MATH,
    "test/math.test.js": MATH_TEST,
    "README.md": "# sample\n",
    "config/circuit_breakers.yaml": FAST_BREAKERS,
    // The aider stand-in reads its scenario from STANDIN_* variables; the sandbox lets through only named ones.
    "config/sandbox.yaml": 'env: ["STANDIN_*"]\n',
    ...Object.fromEntries(
      bundles.map((b) => [`workstreams/${String(b.id)}.json`, `${JSON.stringify(b, null, 2)}\n`]),
    ),
    ...files,
  });
  cpSync(
    path.join(REPO, "config", "tool_profiles.json"),
    path.join(repo.root, "config", "tool_profiles.json"),
  );
  repo.commitAll("config");
  const dbPath = path.join(repo.root, "state", "pipeline.db");
  const inherited = { ...process.env };
  delete inherited.PIPELINE_DRY_RUN;
  const fullEnv: NodeJS.ProcessEnv = {
    ...inherited,
    PATH: `${STANDIN_BIN}${path.delimiter}${process.env.PATH ?? ""}`,
    PIPELINE_DB_PATH: dbPath,
    WSP_CLI_PATH: path.join(REPO, "dist", "cli.js"),
    ...env,
  };
  return {
    ...repo,
    env: fullEnv,
    dbPath,
    io: () => captureIO(repo.root, fullEnv),
    openStore: () => openStore({ path: dbPath }),
  };
}

let built = false;
/** Builds dist/cli.js once per test process (the scripted editor and the kill test run it). */
export function ensureBuilt(): void {
  if (built) return;
  execFileSync(process.execPath, ["esbuild.mjs"], { cwd: REPO, stdio: "inherit" });
  built = true;
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}
