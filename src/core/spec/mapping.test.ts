import { strict as assert } from "node:assert";
import { mapTag, mergeMappingRules, ORIGINAL_MAPPING_RULES, parseTag } from "./mapping";
import { renderMapDocument } from "./mapDocument";
import { scanText } from "./scanner";
import { type TagOccurrence } from "./types";

describe("spec mapping", () => {
  it("parses tags like the original's regular expression", () => {
    assert.deepEqual(parseTag("IDX-TOOL-AIDER-CONFIG-05"), {
      category: "TOOL",
      subcategory: "AIDER-CONFIG",
      number: 5,
    });
    assert.deepEqual(parseTag("[IDX-DB-SCHEMA-01]"), { category: "DB", subcategory: "SCHEMA", number: 1 });
    for (const bad of [
      "IDX-DB-01",
      "IDX-DB1-X-01",
      "IDX-DB-X-1A",
      "IDX-CATEGORY-SUBCATEGORY-NUMBER",
      "DB-X-01",
    ]) {
      assert.equal(parseTag(bad), undefined, bad);
    }
  });

  it("maps the original's three real examples as the original did", () => {
    const rules = ORIGINAL_MAPPING_RULES;
    assert.deepEqual(mapTag("IDX-DB-SCHEMA-01", "Database schema definition", rules), {
      module: "schema/schema.sql",
      function: "init_schema",
      phase: "PH-02",
      version: "v1.0",
    });
    assert.deepEqual(mapTag("IDX-TOOL-AIDER-CONFIG-05", "Aider tool configuration", rules), {
      module: "src/pipeline/tools.py",
      function: "run_aider_config",
      phase: "PH-03",
      version: "v1.0",
    });
    assert.deepEqual(mapTag("IDX-PROMPT-TEMPLATE-10", "Prompt template", rules), {
      module: "src/pipeline/prompts.py",
      function: "render_template",
      phase: "PH-03",
      version: "v1.0",
    });
  });

  it("applies verbs in order, category defaults, versions and TBD", () => {
    const rules = ORIGINAL_MAPPING_RULES;
    assert.equal(mapTag("IDX-X-ITEM-01", "Remove and update items", rules).function, "update_item");
    assert.equal(mapTag("IDX-X-ITEM-01", "Fetch items", rules).function, "get_item");
    assert.equal(mapTag("IDX-SCHEMA-USERS-01", "Users", rules).function, "users_table");
    assert.equal(mapTag("IDX-FOO-MULTI-PART-01", "plain", rules).function, "multi_part");
    assert.equal(mapTag("IDX-ORCHESTRATOR-X-01", "", rules).module, "src/pipeline/orchestrator.py");
    assert.equal(mapTag("IDX-DB-TESTS-01", "", rules).module, "tests/pipeline/test_db.py");
    assert.equal(mapTag("IDX-FOO-X-01", "", rules).module, "src/pipeline/");
    assert.deepEqual(
      [50, 51, 99, 100].map((n) => mapTag(`IDX-FOO-X-${n}`, "", rules).version),
      ["v1.0", "v2.0", "v2.0", "v3.0"],
    );
    assert.deepEqual(mapTag("IDX-UNPARSEABLE", "create", rules), {
      module: "TBD",
      function: "TBD",
      phase: "TBD",
      version: "v1.0",
    });
  });

  it("lets overrides replace table entries and pin single tags", () => {
    const rules = mergeMappingRules(ORIGINAL_MAPPING_RULES, {
      modules: { DB: "src/node/store/" },
      phases: { FOO: "PH-09" },
      tags: { "IDX-DB-X-01": { function: "openStore" } },
    });
    assert.deepEqual(mapTag("IDX-DB-X-01", "text", rules), {
      module: "src/node/store/",
      function: "openStore",
      phase: "PH-02",
      version: "v1.0",
    });
    assert.equal(mapTag("IDX-FOO-X-01", "", rules).phase, "PH-09");
    assert.equal(ORIGINAL_MAPPING_RULES.modules.DB, "src/pipeline/db.py");
  });

  it("renders a map document that does not index itself", () => {
    const definitions: TagOccurrence[] = [
      {
        idx: "IDX-DB-SCHEMA-01",
        file: "docs/spec.md",
        line: 3,
        column: 4,
        offset: 10,
        length: 18,
        description: "See [IDX-TOOL-X-01] | a long description going on and on and on, past fifty characters",
        inHeading: true,
      },
    ];
    const document = renderMapDocument(definitions, ORIGINAL_MAPPING_RULES);
    assert.match(document, /\*\*Total IDX Tags Found:\*\* 1/);
    assert.ok(
      document.includes(
        "| IDX-DB-SCHEMA-01 | See &#91;IDX-TOOL-X-01] \\| a long description going on ... | docs/spec.md | 3 | schema/schema.sql | db_schema | PH-02 | v1.0 |",
      ),
      document,
    );
    assert.equal(scanText("docs/spec/spec_index_map.md", document, { markdown: true }).occurrences.length, 0);
    const empty = renderMapDocument([], ORIGINAL_MAPPING_RULES);
    assert.match(empty, /No IDX tags were found/);
    assert.equal(scanText("docs/spec/spec_index_map.md", empty, { markdown: true }).occurrences.length, 0);
  });
});
