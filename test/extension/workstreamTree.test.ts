import assert from "node:assert/strict";
import { parseBundleFile } from "../../src/shared/bundleFile";
import { toWorkstreamId } from "../../src/shared/newBundle";
import {
  type WorkstreamSummary,
  dependencyLevels,
  groupWorkstreams,
  workstreamContextValue,
} from "../../src/shared/workstreamTree";

function workstream(id: string, dependsOn: string[] = []): WorkstreamSummary {
  return { id, tasks: [], filesScope: [], dependsOn, file: `workstreams/${id}.json` };
}

describe("workstream tree model", () => {
  it("levels follow the deepest dependency; unknown dependencies count as none; cycles get -1", () => {
    const levels = dependencyLevels([
      workstream("ws-a"),
      workstream("ws-b", ["ws-a"]),
      workstream("ws-c", ["ws-a", "ws-b", "ws-missing"]),
      workstream("ws-x", ["ws-y"]),
      workstream("ws-y", ["ws-x"]),
    ]);
    assert.deepEqual(Object.fromEntries(levels), { "ws-a": 0, "ws-b": 1, "ws-c": 2, "ws-x": -1, "ws-y": -1 });
  });

  it("groups by level in numeric order and by status with 'not run' for unknown", () => {
    const all = [workstream("ws-b", ["ws-a"]), workstream("ws-a")];
    assert.deepEqual(
      groupWorkstreams(all, "level", () => undefined).map((group) => [
        group.label,
        group.workstreams.map((w) => w.id),
      ]),
      [
        ["Level 0", ["ws-a"]],
        ["Level 1", ["ws-b"]],
      ],
    );
    const byStatus = groupWorkstreams(all, "status", (id) =>
      id === "ws-a" ? { status: "failed", hasWorktree: true } : undefined,
    );
    assert.deepEqual(
      byStatus.map((group) => [group.label, group.workstreams.map((w) => w.id)]),
      [
        ["failed", ["ws-a"]],
        ["not run", ["ws-b"]],
      ],
    );
  });

  it("contextValue carries the capability tags menus match", () => {
    assert.equal(workstreamContextValue(undefined), "workstream runnable");
    assert.equal(
      workstreamContextValue({ status: "running", hasWorktree: true }),
      "workstream running has-worktree",
    );
    assert.equal(
      workstreamContextValue({ status: "failed", hasWorktree: false }),
      "workstream runnable failed",
    );
    assert.equal(
      workstreamContextValue({
        status: "failed",
        hasWorktree: true,
        reason: "tamper: hostile during EDIT: refs changed",
      }),
      "workstream runnable failed tamper has-worktree",
      "a tampering tool's failure is told apart",
    );
    assert.equal(
      workstreamContextValue({ status: "static_check", hasWorktree: true }),
      "workstream running has-worktree",
      "the store's in-progress statuses count as running",
    );
    assert.equal(
      workstreamContextValue({ status: "cancelled", hasWorktree: true }),
      "workstream runnable failed has-worktree",
      "a cancelled workstream can be retried",
    );
  });
});

describe("bundle file reading", () => {
  it("reads ids, titles and dependency positions from an object or an array", () => {
    const text = '[{"id": "ws-a", "title": "A", "depends_on": ["ws-b"], "tasks": ["t"]}, {"id": "ws-b"}]';
    const parsed = parseBundleFile(text, "workstreams/two.json");
    assert.equal(parsed.syntaxErrors, 0);
    assert.deepEqual(
      parsed.bundles.map((bundle) => bundle.summary.id),
      ["ws-a", "ws-b"],
    );
    const [first] = parsed.bundles;
    assert.equal(text.slice(first.idRange.offset, first.idRange.offset + first.idRange.length), '"ws-a"');
    const dependency = first.dependencies[0];
    assert.equal(text.slice(dependency.offset, dependency.offset + dependency.length), '"ws-b"');
  });

  it("reads a bundle's own review policy, and ignores a value the schema does not allow", () => {
    const parsed = parseBundleFile(
      '[{"id": "ws-a", "review": "required"}, {"id": "ws-b", "review": "maybe"}, {"id": "ws-c"}]',
      "workstreams/a.json",
    );
    assert.deepEqual(
      parsed.bundles.map((bundle) => bundle.summary.review),
      ["required", undefined, undefined],
    );
  });

  it("keeps what it can read of a file that is mid-edit", () => {
    const parsed = parseBundleFile('{"id": "ws-a", "depends_on": ["ws-b",', "workstreams/a.json");
    assert.ok(parsed.syntaxErrors > 0);
    assert.equal(parsed.bundles[0]?.summary.id, "ws-a");
  });

  it("turns any text into an id that fits the pattern", () => {
    assert.equal(toWorkstreamId("Inventory Core!"), "ws-inventory-core");
    assert.equal(toWorkstreamId("WS_Report"), "ws-report");
    assert.equal(toWorkstreamId("***"), "ws-new");
  });
});
