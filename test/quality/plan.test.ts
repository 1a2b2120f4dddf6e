import assert from "node:assert/strict";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { planCommand } from "../../src/cli/commands/plan";
import { captureIO } from "../../src/cli/io";
import { validateWorkspaceDir } from "../../src/node/bundles";
import { createTempRepo, type TempRepo } from "../support/tempRepo";
import { pathWithTools } from "./support";

const fixture = path.join(__dirname, "fixtures", "openspec");

describe("wsp plan @slow", () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = createTempRepo(
      {
        "example/src/inventory.js": "module.exports = {};\n",
        "example/src/index.js": "module.exports = require('./inventory');\n",
        "workstreams/.keep": "",
      },
      "wsp-plan-",
    );
    cpSync(fixture, path.join(repo.root, "openspec"), { recursive: true });
  });
  afterEach(() => repo.remove());

  it("drafts a valid bundle from an OpenSpec change and never overwrites it", async () => {
    const io = captureIO(repo.root, { PATH: pathWithTools() });
    const code = await planCommand({ openspec: "openspec/changes/add-reorder-alerts" }, io);
    assert.equal(code, 0, io.stderr);
    assert.equal(io.stdout, "wrote workstreams/ws-add-reorder-alerts.json\n");
    const file = path.join(repo.root, "workstreams", "ws-add-reorder-alerts.json");
    const text = readFileSync(file, "utf8");
    const bundle = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(bundle, {
      id: "ws-add-reorder-alerts",
      title: "Add reorder alerts",
      openspec_change: "add-reorder-alerts",
      ccpm_issue: "TBD",
      gate: 1,
      files_scope: ["example/src/inventory.js", "example/src/index.js", "example/test/reorder.test.js"],
      files_create: ["example/test/reorder.test.js"],
      tasks: [
        "Add `needsReorder(inventory, name, threshold)` to example/src/inventory.js [IDX-INV-REORDER-01]",
        "Add `reorderList(inventory, threshold)`, sorted by name [IDX-INV-REORDER-01]",
        "Export both from example/src/index.js [IDX-INV-REORDER-02]",
        "Cover them in example/test/reorder.test.js",
      ],
      acceptance_tests: [],
      depends_on: [],
      tool: "aider",
      metadata: {
        generated_by: "wsp plan",
        source: "openspec/changes/add-reorder-alerts",
        draft: true,
        acceptance_hints: [
          "Quantity at the threshold: WHEN an item's quantity equals the threshold THEN `needsReorder` returns true",
          "Reorder list: WHEN several items are at or below the threshold AND one item is above it THEN `reorderList` names only the low items AND the names are sorted",
        ],
        idx_tags: ["[IDX-INV-REORDER-01]", "[IDX-INV-REORDER-02]"],
      },
    });
    const validation = await validateWorkspaceDir(path.join(repo.root, "workstreams"));
    assert.deepEqual(
      validation.diagnostics.filter((diagnostic) => diagnostic.severity === "error"),
      [],
    );

    // A second run, and a user's edit in between: the existing bundle is kept byte for byte.
    writeFileSync(file, text.replace("TBD", "4242"));
    const again = captureIO(repo.root, { PATH: pathWithTools() });
    assert.equal(await planCommand({ openspec: "openspec/changes/add-reorder-alerts" }, again), 1);
    assert.match(again.stdout, /already exists; kept it, wrote nothing/);
    assert.equal(readFileSync(file, "utf8"), text.replace("TBD", "4242"));
  });

  it("drafts from a Markdown spec with IDX-tagged items, and refuses a change that names no files", async () => {
    repo.write({
      "docs/spec.md":
        "# Pricing\n\n- **[IDX-PRICE-01]** `itemValue` in example/src/inventory.js is quantity x price.\n- a note without a tag\n",
    });
    const io = captureIO(repo.root, { PATH: pathWithTools() });
    assert.equal(await planCommand({ spec: "docs/spec.md", dryRun: true, tool: "scripted" }, io), 0);
    const bundle = JSON.parse(io.stdout) as {
      id: string;
      tasks: string[];
      files_scope: string[];
      tool: string;
    };
    assert.equal(bundle.id, "ws-pricing");
    assert.deepEqual(bundle.tasks, [
      "[IDX-PRICE-01] `itemValue` in example/src/inventory.js is quantity x price.",
    ]);
    assert.deepEqual(bundle.files_scope, ["example/src/inventory.js"]);
    assert.equal(bundle.tool, "scripted");

    repo.write({ "docs/vague.md": "# Vague\n\n- [ ] make it better\n" });
    await assert.rejects(
      planCommand({ spec: "docs/vague.md" }, captureIO(repo.root, {})),
      /names no file paths, so the file scope would be empty/,
    );
  });
});
