import { strict as assert } from "node:assert";
import { chooseEditTool } from "./editTool";

describe("choosing the edit tool", () => {
  const routes = new Map([["code_edit", ["codex", "claude-code"]]]);

  it("uses the fixed tool when the bundle names no capability", () => {
    assert.deepEqual(chooseEditTool({ tool: "aider" }, routes), { toolId: "aider" });
  });

  it("routes a capability to the first installed tool of its route", () => {
    assert.deepEqual(chooseEditTool({ tool: "aider", capability: "code_edit" }, routes), {
      toolId: "codex",
      routed: { capability: "code_edit", routeIndex: 0, candidates: ["codex", "claude-code"] },
    });
  });

  it("prefers the bundle's tool when it is one of the installed candidates", () => {
    const choice = chooseEditTool({ tool: "claude-code", capability: "code_edit" }, routes);
    assert.ok("toolId" in choice);
    assert.equal(choice.toolId, "claude-code");
    assert.equal(choice.routed?.routeIndex, 1);
  });

  it("gives a reason when nothing installed serves the capability", () => {
    const choice = chooseEditTool({ tool: "aider", capability: "refactor" }, routes);
    assert.ok("reason" in choice);
    assert.match(choice.reason, /no installed edit tool serves capability 'refactor'/);
  });
});
