/**
 * A named pipe where a command expects a file (a spec, a config file, .gitignore, a file to check,
 * the state store or its journal; a link to /dev/zero for the store):
 * the command says which file and stops, exit 2, rather than wait for a writer that never comes.
 * Each command runs as the real CLI with a deadline, so a hang fails the test instead of stalling it.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTempRepo, type TempRepo } from "../support/tempRepo";

const root = path.resolve(__dirname, "../..");
const cli = path.join(root, "dist", "cli.js");

describe("a named pipe in a file's place @slow", function () {
  this.timeout(60_000);
  let repo: TempRepo;
  before(function () {
    if (process.platform === "win32") this.skip();
    execFileSync(process.execPath, ["esbuild.mjs"], { cwd: root });
  });
  beforeEach(() => {
    repo = createTempRepo({ "docs/spec.md": "# [IDX-A-01] A\n" });
  });
  afterEach(() => repo.remove());

  const pipeAt = (relative: string): void => {
    mkdirSync(path.dirname(path.join(repo.root, relative)), { recursive: true });
    execFileSync("mkfifo", [path.join(repo.root, relative)]);
  };
  const wsp = (...args: string[]) =>
    spawnSync(process.execPath, [cli, ...args], {
      cwd: repo.root,
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: repo.root },
      timeout: 20_000,
    });
  const assertRefused = (result: ReturnType<typeof wsp>, file: RegExp) => {
    assert.equal(result.signal, null, `still waiting after 20 s: ${result.stderr}`);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, file);
    assert.match(result.stderr, /not a regular file|named pipe|a device/);
  };

  it("wsp plan --spec", () => {
    pipeAt("docs/pipe.md");
    assertRefused(wsp("plan", "--spec", "docs/pipe.md"), /pipe\.md/);
  });

  it("wsp spec index with its config", () => {
    pipeAt("config/spec_mapping.yaml");
    assertRefused(wsp("spec", "index"), /spec_mapping\.yaml/);
  });

  it("wsp init with .gitignore", () => {
    pipeAt(".gitignore");
    assertRefused(wsp("init"), /\.gitignore/);
  });

  it("wsp aim status with the registry", () => {
    pipeAt("config/ai_tools.yaml");
    assertRefused(wsp("aim", "status"), /ai_tools\.yaml/);
  });

  it("wsp db with the store, a link to /dev/zero as the store, or its journal", () => {
    pipeAt("state/pipe.db");
    assertRefused(wsp("db", "runs", "--db", "state/pipe.db"), /pipe\.db/);
    symlinkSync("/dev/zero", path.join(repo.root, "state", "zero.db"));
    assertRefused(wsp("db", "runs", "--db", "state/zero.db"), /zero\.db/);
    assert.equal(wsp("db", "init", "--db", "state/j.db").status, 0);
    rmSync(path.join(repo.root, "state", "j.db.journal.ndjson"));
    pipeAt("state/j.db.journal.ndjson");
    assertRefused(wsp("db", "runs", "--db", "state/j.db"), /j\.db\.journal\.ndjson/);
  });

  it("wsp check", () => {
    writeFileSync(path.join(repo.root, "ok.py"), "print(1)\n");
    pipeAt("pipe.py");
    assertRefused(wsp("check", "ok.py", "pipe.py"), /pipe\.py/);
  });
});
