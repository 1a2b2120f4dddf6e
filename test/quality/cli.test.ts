import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createTempRepo, type TempRepo } from "../support/tempRepo";
import { pathWithTools } from "./support";

const root = path.resolve(__dirname, "../..");
const cli = path.join(root, "dist", "cli.js");

describe("quality commands end to end through dist/cli.js @slow", function () {
  this.timeout(120_000);
  let repo: TempRepo;
  before(() => {
    if (!existsSync(cli) || process.env.CI) execFileSync(process.execPath, ["esbuild.mjs"], { cwd: root });
  });
  beforeEach(() => {
    repo = createTempRepo({ "src/app.js": "module.exports = 1;\n" }, "wsp-cli-");
  });
  afterEach(() => repo.remove());

  const wsp = (...args: string[]) =>
    spawnSync(process.execPath, [cli, ...args], {
      cwd: repo.root,
      encoding: "utf8",
      env: { ...process.env, PATH: pathWithTools() },
    });

  it("init, check, plan, status and aim status work from the bundle", () => {
    assert.equal(wsp("init").status, 0);
    assert.ok(existsSync(path.join(repo.root, "config", "ai_tools.yaml")));
    assert.match(readFileSync(path.join(repo.root, ".gitignore"), "utf8"), /^\.worktrees\/$/m);

    repo.write({ "bad.json": '{ "a": }\n' });
    const check = wsp("check", "bad.json");
    assert.equal(check.status, 1);
    assert.equal(check.stdout, "bad.json: FAILED | errors=2 warnings=0\n");
    assert.match(
      check.stderr,
      /bad\.json:1:8: error ValueExpected: Invalid JSON: ValueExpected \(json-syntax\)/,
    );

    repo.write({ "docs/spec.md": "# App\n\n- [ ] Export a greeting from src/app.js [IDX-APP-01]\n" });
    const plan = wsp("plan", "--spec", "docs/spec.md", "--tool", "aider");
    assert.equal(plan.status, 0, plan.stderr);
    assert.equal(plan.stdout, "wrote workstreams/ws-app.json\n");

    const status = wsp("status");
    assert.equal(status.status, 0, status.stderr);
    assert.equal(
      status.stdout,
      "ws-app: never run | bundle workstreams/ws-app.json | branch none | worktree none\n",
    );

    const aim = wsp("aim", "status", "--json");
    assert.equal(aim.status, 0, aim.stderr);
    assert.equal((JSON.parse(aim.stdout) as { tools: unknown[] }).tools.length, 6);
  });
});
