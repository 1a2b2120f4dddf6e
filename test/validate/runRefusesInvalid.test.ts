import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { createTempRepo, type TempRepo } from "../support/tempRepo";

const cli = path.resolve(__dirname, "..", "..", "dist", "cli.js");

function bundle(id: string): string {
  return JSON.stringify({
    id,
    openspec_change: "OS-1",
    ccpm_issue: 1,
    gate: 1,
    files_scope: ["src/a.js"],
    tasks: [],
    tool: "scripted",
  });
}

describe("wsp run refuses a set that does not validate @slow", () => {
  let repo: TempRepo;
  afterEach(() => repo?.remove());

  function wsp(...args: string[]) {
    return spawnSync("node", [cli, ...args], { cwd: repo.root, encoding: "utf8", timeout: 30_000 });
  }

  it("exits 2 naming each error, an overlap included, and goes on only with --ignore-validation-errors", () => {
    repo = createTempRepo({
      "src/a.js": "x\n",
      "config/tool_profiles.json": JSON.stringify({ scripted: { kind: "edit", command: "true", args: [] } }),
      "workstreams/a.json": bundle("ws-a"),
      "workstreams/b.json": bundle("ws-b"),
    });
    repo.commitAll("bundles");
    const refused = wsp("run", "--all", "--dry-run");
    assert.equal(refused.status, 2, refused.stderr);
    assert.equal(refused.stdout, "");
    assert.match(refused.stderr, /workstreams\/a\.json:1:\d+: Overlaps ws-b/);
    assert.match(refused.stderr, /workstreams\/b\.json:1:\d+: Overlaps ws-a/);
    const forced = wsp("run", "--all", "--dry-run", "--ignore-validation-errors");
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(forced.stderr, /ignoring 2 validation error\(s\)/);
    assert.match(forced.stderr, /workstreams\/a\.json:1:\d+: Overlaps ws-b/);
  });
});
