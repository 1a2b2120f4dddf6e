import assert from "node:assert/strict";
import { MAX_POSSIBLE_OVERLAP_WARNINGS } from "./overlaps";
import { validateDocuments, type DocumentText } from "./workspace";

/** Bundles whose scopes were written to explode the overlap check: every pair could overlap. */
function globBomb(count: number): DocumentText[] {
  return Array.from({ length: count }, (_, index) => ({
    uri: `w${String(index).padStart(4, "0")}.json`,
    text: JSON.stringify({
      id: `ws-${index}`,
      openspec_change: "OS-1",
      ccpm_issue: 1,
      gate: 1,
      files_scope: ["**/*****.js", `src/${index}/**`],
      tasks: [],
      tool: "scripted",
    }),
  }));
}

describe("overlap check bounds", () => {
  it("stops a glob bomb with a warning saying so, instead of overflowing the stack", () => {
    const started = Date.now();
    const { diagnostics } = validateDocuments(globBomb(260), { trackedFiles: [] });
    const overlaps = diagnostics.filter((d) => d.type === "overlap");
    assert.ok(overlaps.length <= MAX_POSSIBLE_OVERLAP_WARNINGS + 1, `${overlaps.length} findings`);
    const stops = overlaps.filter((d) => d.message.startsWith("The overlap check stopped"));
    assert.equal(stops.length, 1);
    assert.match(stops[0].message, /after 1000 possible-overlap warnings/);
    assert.ok(stops[0].line >= 1 && stops[0].column >= 1);
    assert.ok(Date.now() - started < 10_000);
  });

  it("says nothing about bounds for a workspace within them", () => {
    const { diagnostics } = validateDocuments(globBomb(20), { trackedFiles: [] });
    assert.ok(diagnostics.length > 0);
    assert.ok(diagnostics.every((d) => !d.message.includes("stopped")));
  });
});
