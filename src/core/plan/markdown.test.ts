import assert from "node:assert/strict";
import { bundleIdFrom, firstHeading, idxTags, namedPaths, scenarioHints, uncheckedTasks } from "./markdown";

describe("plan: reading specs", () => {
  it("takes the title from the first heading, without a Change: label", () => {
    assert.equal(firstHeading("intro\n# Change: Add reorder alerts\n## Why\n"), "Add reorder alerts");
    assert.equal(firstHeading("## only level two\n"), undefined);
  });

  it("takes open checkbox tasks, drops numbering, carries section IDX tags", () => {
    const tasks = uncheckedTasks(
      "## 1. Checks [IDX-A-01]\n- [ ] 1.1 First\n- [x] 1.2 Done\n* [ ] Second [IDX-B-02]\n## 2. Other\n  - [ ] 2.1 Third\n",
    );
    assert.deepEqual(
      tasks.map((task) => task.text),
      ["First [IDX-A-01]", "Second [IDX-B-02]", "Third"],
    );
  });

  it("turns WHEN/THEN/AND scenario lines into hints", () => {
    const hints = scenarioHints(
      "#### Scenario: Low\n- **WHEN** a is low\n- **AND** b is high\n- **THEN** c\n\n#### Scenario: Plain\nWHEN x\nTHEN y\nAND z\n",
    );
    assert.deepEqual(hints, ["Low: WHEN a is low AND b is high THEN c", "Plain: WHEN x THEN y AND z"]);
  });

  it("finds named file paths but not URLs, versions or openspec documents", () => {
    assert.deepEqual(
      namedPaths(
        "Edit `example/src/a.js` and README.md; see https://x.invalid/y/z.md, version 1.2.3, openspec/changes/c/tasks.md, ./src/b.ts.",
      ),
      ["example/src/a.js", "README.md", "src/b.ts"],
    );
  });

  it("collects IDX tags and makes valid bundle ids", () => {
    assert.deepEqual(idxTags("[IDX-A-01] x [IDX-B-2] [IDX-A-01]"), ["[IDX-A-01]", "[IDX-B-2]"]);
    assert.equal(bundleIdFrom("add-reorder_alerts!"), "ws-add-reorder-alerts");
    assert.equal(bundleIdFrom("ws-Already"), "ws-already");
    assert.equal(bundleIdFrom("!!!"), "ws-draft");
  });
});
