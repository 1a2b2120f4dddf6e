import assert from "node:assert/strict";
import { jobIds, journalArtifactName, journalFileStem, journalFolder } from "./names";
import { exportRefusals, workflowScopeEntries } from "./refusals";

describe("export names", () => {
  it("job ids are valid, unique and never the integrate job", () => {
    const ids = jobIds(["ws-a", "ws.a", "9lives", "integrate", "ws_a"]);
    assert.deepEqual([...ids.values()], ["ws-a", "ws_a", "_9lives", "integrate-2", "ws_a-2"]);
    for (const id of ids.values()) assert.match(id, /^[A-Za-z_][A-Za-z0-9_-]*$/);
  });

  it("artifact and journal names hold none of the characters GitHub forbids", () => {
    const name = journalArtifactName('a"b:c<d>e|f*g?h\\i/j\rk\nl');
    assert.equal(name, "wsp-journal-a_b_c_d_e_f_g_h_i_j_k_l");
    assert.equal(journalFileStem("ws-a"), "ws-a");
    assert.equal(journalFolder('a"b/c'), "wsp-journals/a_b_c");
  });
});

describe("export refusals", () => {
  it("names every scope entry that reaches .github/workflows/", () => {
    assert.deepEqual(
      workflowScopeEntries([
        ".github/workflows/ci.yml",
        ".github/",
        "**/*.yml",
        "src/",
        ".github/wsp/x",
        "**",
      ]),
      [".github/workflows/ci.yml", ".github/", "**/*.yml", "**"],
    );
    const [reason] = exportRefusals([
      { id: "ws-ci", filesScope: ["src/"], filesCreate: [".github/workflows/"] },
    ]);
    assert.match(reason, /ws-ci: its scope ".github\/workflows\/" covers .github\/workflows\//);
  });

  it("refuses an id that could carry an expression or shell syntax into the YAML", () => {
    const reasons = exportRefusals([
      { id: "ws-${{ secrets.TOKEN }}", filesScope: ["a.js"], filesCreate: [] },
      { id: "ws-ok", filesScope: ["a.js"], filesCreate: [] },
    ]);
    assert.equal(reasons.length, 1);
    assert.match(reasons[0], /only ids of letters, digits/);
  });
});
