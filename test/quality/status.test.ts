import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { status } from "../../src/cli/commands/status";
import { captureIO } from "../../src/cli/io";
import { openStore } from "../../src/node/store";
import { createTempRepo, type TempRepo } from "../support/tempRepo";
import { pathWithTools } from "./support";

const bundle = (id: string, title: string) =>
  `${JSON.stringify(
    {
      id,
      title,
      openspec_change: "CH-1",
      ccpm_issue: 1,
      gate: 1,
      files_scope: [`src/${id}.js`],
      files_create: [],
      tasks: ["do it"],
      acceptance_tests: ["node --test"],
      depends_on: [],
      tool: "scripted",
    },
    null,
    2,
  )}\n`;

describe("wsp status @slow", () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = createTempRepo(
      {
        "workstreams/ws-a.json": bundle("ws-a", "Alpha"),
        "workstreams/ws-b.json": bundle("ws-b", "Beta"),
        "src/ws-a.js": "1\n",
        "src/ws-b.js": "2\n",
        ".gitignore": ".worktrees/\nstate/\n",
      },
      "wsp-status-",
    );
  });
  afterEach(() => repo.remove());

  it("shows branch, worktree, last run and ahead/behind per workstream, and orphans", async () => {
    // ws-a: a worktree on its branch, two commits ahead; main then moves one commit on.
    repo.git("worktree", "add", "-q", "-b", "workstream/ws-a", ".worktrees/ws-a");
    const worktree = path.join(repo.root, ".worktrees", "ws-a");
    for (const n of [1, 2]) {
      repo.git("-C", worktree, "commit", "-q", "--allow-empty", "-m", `a${n}`);
    }
    repo.write({ "src/ws-b.js": "3\n" });
    repo.commitAll("main moves on");
    // Orphans: a branch and a worktree whose bundles are gone.
    repo.git("branch", "workstream/ws-gone");
    repo.git("worktree", "add", "-q", "--detach", ".worktrees/ws-old");
    // The orchestrator keeps prompt files beside the worktrees; a folder is not a worktree.
    repo.write({ ".worktrees/.prompts/ws-a_edit.txt": "prompt\n" });

    const store = await openStore({ path: path.join(repo.root, "state", "pipeline.db") });
    await store.createRun({ runId: "R1" });
    await store.createWorkstream({ runId: "R1", wsId: "ws-a" });
    await store.updateWorkstreamStatus("R1", "ws-a", "started");
    await store.close();

    const io = captureIO(repo.root, { PATH: pathWithTools() });
    assert.equal(await status({ json: true }, io), 0);
    const report = JSON.parse(io.stdout) as {
      base: string;
      workstreams: {
        id: string;
        branch: string | null;
        worktree: string | null;
        lastRun: { status: string } | null;
        ahead: number | null;
        behind: number | null;
        stale: boolean;
      }[];
      orphans: { branches: string[]; worktrees: string[] };
    };
    assert.equal(report.base, "main");
    assert.deepEqual(
      report.workstreams.map((row) => [
        row.id,
        row.branch,
        row.worktree,
        row.lastRun?.status ?? null,
        row.ahead,
        row.behind,
        row.stale,
      ]),
      [
        ["ws-a", "workstream/ws-a", ".worktrees/ws-a", "started", 2, 1, true],
        ["ws-b", null, null, null, null, null, false],
      ],
    );
    assert.deepEqual(report.orphans, { branches: ["workstream/ws-gone"], worktrees: [".worktrees/ws-old"] });

    const text = captureIO(repo.root, { PATH: pathWithTools() });
    await status({}, text);
    assert.equal(
      text.stdout,
      [
        "ws-a: started (run R1) | bundle workstreams/ws-a.json | branch workstream/ws-a | worktree .worktrees/ws-a | 2 ahead, 1 behind main | STALE: main moved on since this work began; the merge queue will rebuild it on main",
        "ws-b: never run | bundle workstreams/ws-b.json | branch none | worktree none",
        "orphan branch: workstream/ws-gone (no bundle)",
        "orphan worktree: .worktrees/ws-old (no bundle)",
        "",
      ].join("\n"),
    );
  });

  it("names a bundle entry it could not read, and neither hangs nor crashes on it", async () => {
    execFileSync("mkfifo", [path.join(repo.root, "workstreams", "p.json")]);
    const io = captureIO(repo.root, { PATH: pathWithTools() });
    assert.equal(await status({}, io), 0);
    assert.match(io.stderr, /status: workstreams\/p\.json has invalid bundles \(run wsp validate\)/);
    assert.match(io.stdout, /^ws-a: never run/m);
  });
});
