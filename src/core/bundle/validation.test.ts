import assert from "node:assert/strict";
import { validateDocuments, type DocumentText, type ValidationResult } from "./workspace";
import { parseToolProfiles } from "./toolProfiles";
import { type Diagnostic } from "./diagnostics";

function bundle(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    openspec_change: "OS-1",
    ccpm_issue: 1,
    gate: 1,
    files_scope: [`src/${id}.js`],
    tasks: ["do it"],
    tool: "scripted",
    ...extra,
  };
}

function doc(uri: string, value: unknown): DocumentText {
  return { uri, text: JSON.stringify(value, null, 2) };
}

function run(documents: DocumentText[], trackedFiles: string[] = []): ValidationResult {
  return validateDocuments(documents, { trackedFiles });
}

function ofType(result: ValidationResult, type: Diagnostic["type"]): Diagnostic[] {
  return result.diagnostics.filter((diagnostic) => diagnostic.type === type);
}

describe("bundle validation", () => {
  it("accepts a clean set with no diagnostics and returns the normalised bundles", () => {
    const result = run([
      doc("a.json", bundle("ws-a")),
      doc("b.json", bundle("ws-b", { depends_on: ["ws-a"] })),
    ]);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(
      result.bundles.map((loaded) => [loaded.bundle.id, loaded.source.file, loaded.bundle.files_create]),
      [
        ["ws-a", "a.json", []],
        ["ws-b", "b.json", []],
      ],
    );
  });

  describe("rule 1: parse errors", () => {
    it("reports invalid JSON at its line and column", () => {
      const result = run([{ uri: "bad.json", text: '{\n  "id": "ws-a",\n  "gate" 1\n}' }]);
      const [parse] = ofType(result, "parse");
      assert.equal(parse?.severity, "error");
      assert.deepEqual([parse?.line, parse?.column], [3, 10]);
      assert.match(parse.message, /Expected ":"/);
      assert.deepEqual(result.bundles, []);
    });

    it("reports an empty file", () => {
      const [parse] = ofType(run([{ uri: "empty.json", text: "  \n" }]), "parse");
      assert.match(parse.message, /empty/);
      assert.deepEqual([parse?.line, parse?.column], [1, 1]);
    });

    it("points a trailing comma at the comma itself", () => {
      const text = '{\n  "id": "ws-a",\n  "tool": "x",\n}';
      const [parse] = ofType(run([{ uri: "t.json", text }]), "parse");
      assert.equal(parse?.severity, "error");
      assert.match(parse.message, /Trailing comma/);
      assert.deepEqual([parse?.line, parse?.column, parse?.offset], [3, 14, text.lastIndexOf(",")]);
    });

    it("accepts a byte-order mark with a warning and still validates the bundle", () => {
      const result = run([{ uri: "bom.json", text: "\ufeff" + JSON.stringify(bundle("ws-a")) }]);
      assert.deepEqual(
        result.diagnostics.map((d) => [d.type, d.severity, d.line, d.column]),
        [["parse", "warning", 1, 1]],
      );
      assert.equal(result.bundles.length, 1);
    });

    it("rejects comments", () => {
      const [parse] = ofType(run([{ uri: "c.json", text: '// note\n{"id": "ws-a"}' }]), "parse");
      assert.match(parse.message, /Comments are not allowed/);
    });
  });

  describe("rule 2: shape", () => {
    it("rewrites ajv errors into sentences that name the field", () => {
      const value = { ...bundle("WS_A"), gate: "one", color: "red", files_scope: [] } as Record<
        string,
        unknown
      >;
      delete value.tool;
      const messages = ofType(run([doc("a.json", value)]), "schema").map((d) => [d.pointer, d.message]);
      assert.deepEqual(messages.sort(), [
        ["", 'Missing required field "tool".'],
        ["/color", messages.find(([p]) => p === "/color")![1]],
        ["/files_scope", 'Field "files_scope" must have at least one entry.'],
        ["/gate", 'Field "gate" must be an integer.'],
        ["/id", 'Field "id" must match ^ws-[a-z0-9-]+$ (e.g. "ws-stock-core").'],
      ]);
      assert.match(
        messages.find(([p]) => p === "/color")![1],
        /^Unknown field "color"\. Known fields: id, title/,
      );
    });

    it("underlines an unknown field's key, not its value", () => {
      const text = JSON.stringify({ ...bundle("ws-a"), color: "red" }, null, 2);
      const [unknown] = ofType(run([{ uri: "a.json", text }]), "schema");
      assert.equal(text.slice(unknown.offset, unknown.offset + unknown.length), '"color"');
    });

    it("says a scripted edit needs exactly one kind, once", () => {
      const value = bundle("ws-a", { scripted_edits: { edit: [{ path: "a.js", write: "x", append: "y" }] } });
      const schema = ofType(run([doc("a.json", value)]), "schema");
      assert.deepEqual(
        schema.map((d) => [d.pointer, d.message]),
        [
          [
            "/scripted_edits/edit/0",
            'Field "scripted_edits.edit[0]" must have exactly one of "write", "find" with "replace", "append" or "delete".',
          ],
        ],
      );
    });

    it("prefixes pointers with the array index in a multi-bundle file", () => {
      const [problem] = ofType(
        run([doc("m.json", [bundle("ws-a"), { ...bundle("ws-b"), gate: 0 }])]),
        "schema",
      );
      assert.equal(problem?.pointer, "/1/gate");
      assert.equal(problem?.id, "ws-b");
      assert.equal(problem?.message, 'Field "gate" must be at least 1.');
    });
  });

  describe("rule 3: duplicate ids", () => {
    it("reports a duplicate across files on both", () => {
      const duplicates = ofType(
        run([doc("a.json", bundle("ws-a")), doc("b.json", bundle("ws-a"))]),
        "duplicate",
      );
      assert.deepEqual(
        duplicates.map((d) => [d.file, d.pointer, d.message]),
        [
          ["a.json", "/id", 'Duplicate id "ws-a": also defined in b.json.'],
          ["b.json", "/id", 'Duplicate id "ws-a": also defined in a.json.'],
        ],
      );
    });

    it("reports a duplicate within one array file", () => {
      const duplicates = ofType(run([doc("m.json", [bundle("ws-a"), bundle("ws-a")])]), "duplicate");
      assert.deepEqual(
        duplicates.map((d) => d.pointer),
        ["/0/id", "/1/id"],
      );
    });

    it("reports nothing for distinct ids", () => {
      assert.deepEqual(ofType(run([doc("m.json", [bundle("ws-a"), bundle("ws-b")])]), "duplicate"), []);
    });
  });

  describe("rule 4: unknown dependencies", () => {
    it("points at the unknown entry of depends_on", () => {
      const [missing] = ofType(run([doc("a.json", bundle("ws-a", { depends_on: ["ws-x"] }))]), "dependency");
      assert.equal(missing?.pointer, "/depends_on/0");
      assert.match(missing.message, /Unknown dependency "ws-x"/);
    });

    it("accepts a dependency defined in another file", () => {
      const result = run([
        doc("a.json", bundle("ws-a", { depends_on: ["ws-b"] })),
        doc("b.json", bundle("ws-b")),
      ]);
      assert.deepEqual(ofType(result, "dependency"), []);
    });
  });

  describe("rule 5: cycles", () => {
    it("reports each cycle once as a path from the smallest id, on every member", () => {
      const result = run([
        doc("c.json", bundle("ws-c", { depends_on: ["ws-a"] })),
        doc("a.json", bundle("ws-a", { depends_on: ["ws-b"] })),
        doc("b.json", bundle("ws-b", { depends_on: ["ws-c"] })),
        doc("x.json", bundle("ws-x", { depends_on: ["ws-x"] })),
      ]);
      const cycles = ofType(result, "cycle");
      assert.deepEqual(
        cycles.map((d) => [d.id, d.pointer, d.message]),
        [
          ["ws-a", "/depends_on/0", "Dependency cycle: ws-a → ws-b → ws-c → ws-a."],
          ["ws-b", "/depends_on/0", "Dependency cycle: ws-a → ws-b → ws-c → ws-a."],
          ["ws-c", "/depends_on/0", "Dependency cycle: ws-a → ws-b → ws-c → ws-a."],
          ["ws-x", "/depends_on/0", "Dependency cycle: ws-x → ws-x."],
        ],
      );
    });

    it("finds no cycle in a diamond", () => {
      const result = run([
        doc("a.json", bundle("ws-a")),
        doc("b.json", bundle("ws-b", { depends_on: ["ws-a"] })),
        doc("c.json", bundle("ws-c", { depends_on: ["ws-a"] })),
        doc("d.json", bundle("ws-d", { depends_on: ["ws-b", "ws-c"] })),
      ]);
      assert.deepEqual(ofType(result, "cycle"), []);
    });
  });

  describe("rule 6: scope safety", () => {
    it("rejects absolute paths and .. in files_scope and files_create", () => {
      const value = bundle("ws-a", {
        files_scope: ["/etc/passwd", "src/../../x", "C:\\temp\\a", "ok/file.js"],
        files_create: ["~/a"],
      });
      const scope = ofType(run([doc("a.json", value)]), "scope");
      assert.deepEqual(
        scope.map((d) => d.pointer),
        ["/files_scope/0", "/files_scope/1", "/files_scope/2", "/files_create/0"],
      );
      assert.match(scope[1].message, /"src\/\.\.\/\.\.\/x" in files_scope contains "\.\."/);
    });

    it("accepts relative paths, directories and globs", () => {
      const value = bundle("ws-a", {
        files_scope: ["aim/", "scripts/aim_*.py", "./README.md", "docs\\x.md"],
      });
      assert.deepEqual(ofType(run([doc("a.json", value)]), "scope"), []);
    });
  });

  describe("rule 7: overlaps", () => {
    const tracked = ["aim/a.py", "aim/sub/b.py", "scripts/aim_x.py", "scripts/other.py", "README.md"];

    it("is an error when unordered bundles share a tracked file, naming the path and both ids", () => {
      const result = run(
        [
          doc("a.json", bundle("ws-a", { files_scope: ["aim/"] })),
          doc("b.json", bundle("ws-b", { files_scope: ["aim/sub/*.py"] })),
        ],
        tracked,
      );
      const overlaps = ofType(result, "overlap");
      assert.deepEqual(
        overlaps.map((d) => [d.file, d.severity, d.pointer]),
        [
          ["a.json", "error", "/files_scope/0"],
          ["b.json", "error", "/files_scope/0"],
        ],
      );
      assert.match(overlaps[0].message, /Overlaps ws-b on "aim\/sub\/b\.py"/);
    });

    it("is information when one is ordered after the other transitively", () => {
      const result = run(
        [
          doc("a.json", bundle("ws-a", { files_scope: ["scripts/aim_*.py"] })),
          doc("m.json", bundle("ws-m", { files_scope: ["x.md"], depends_on: ["ws-a"] })),
          doc("b.json", bundle("ws-b", { files_scope: ["scripts/"], depends_on: ["ws-m"] })),
        ],
        tracked,
      );
      assert.deepEqual(
        ofType(result, "overlap").map((d) => [d.id, d.severity]),
        [
          ["ws-a", "info"],
          ["ws-b", "info"],
        ],
      );
    });

    it("counts files_create and exact file paths, so an untracked README.md claimed twice overlaps", () => {
      const result = run(
        [
          doc("a.json", bundle("ws-a", { files_scope: ["NOTES.md"] })),
          doc("b.json", bundle("ws-b", { files_scope: ["new/"], files_create: ["new/x.js"] })),
          doc("c.json", bundle("ws-c", { files_scope: ["NOTES.md", "new/*.js"] })),
        ],
        [],
      );
      const overlaps = ofType(result, "overlap");
      assert.deepEqual(
        overlaps.map((d) => [d.id, d.severity, d.pointer]),
        [
          ["ws-a", "error", "/files_scope/0"],
          ["ws-b", "error", "/files_scope/0"],
          ["ws-c", "error", "/files_scope/0"],
          ["ws-c", "error", "/files_scope/1"],
        ],
      );
    });

    it("warns when two patterns match no file yet but could", () => {
      const result = run(
        [
          doc("a.json", bundle("ws-a", { files_scope: ["lib/**/*.ts"] })),
          doc("b.json", bundle("ws-b", { files_scope: ["lib/util/*.ts"] })),
          doc("c.json", bundle("ws-c", { files_scope: ["lib/**/*.md"] })),
        ],
        tracked,
      );
      const overlaps = ofType(result, "overlap");
      assert.ok(overlaps.every((d) => d.severity === "warning"));
      const pairs = overlaps.map((d) => `${d.id}:${/of (ws-[a-z]+)/.exec(d.message)![1]}`);
      assert.deepEqual(pairs.sort(), ["ws-a:ws-b", "ws-b:ws-a"]);
    });

    it("reports nothing for disjoint scopes", () => {
      const result = run(
        [
          doc("a.json", bundle("ws-a", { files_scope: ["aim/"] })),
          doc("b.json", bundle("ws-b", { files_scope: ["scripts/*.py"] })),
        ],
        tracked,
      );
      assert.deepEqual(ofType(result, "overlap"), []);
    });
  });

  describe("rule 8: tool profiles", () => {
    const profiles = parseToolProfiles(
      "config/tool_profiles.json",
      '{"$schema": "x", "scripted": {}, "node-check": {}}',
    );

    it("reports unknown tool, static and runtime tool ids", () => {
      const value = bundle("ws-a", {
        tool: "aider",
        static_tools: ["node-check", "tsc"],
        runtime_tools: ["$schema"],
      });
      const result = validateDocuments([doc("a.json", value)], { trackedFiles: [], toolProfiles: profiles });
      assert.deepEqual(
        ofType(result, "config").map((d) => [d.pointer, d.severity]),
        [
          ["/tool", "error"],
          ["/static_tools/1", "error"],
          ["/runtime_tools/0", "error"],
        ],
      );
      assert.match(
        ofType(result, "config")[0].message,
        /Unknown tool profile "aider" in tool; defined profiles: node-check, scripted/,
      );
    });

    it("accepts known ids", () => {
      const value = bundle("ws-a", { static_tools: ["node-check"] });
      const result = validateDocuments([doc("a.json", value)], { trackedFiles: [], toolProfiles: profiles });
      assert.deepEqual(result.diagnostics, []);
    });

    it("warns once when the profiles file does not exist", () => {
      const missing = parseToolProfiles("config/tool_profiles.json", null);
      const result = validateDocuments([doc("a.json", bundle("ws-a")), doc("b.json", bundle("ws-b"))], {
        trackedFiles: [],
        toolProfiles: missing,
      });
      assert.deepEqual(
        result.diagnostics.map((d) => [d.file, d.type, d.severity]),
        [["config/tool_profiles.json", "config", "warning"]],
      );
    });

    it("is a config error when the profiles file is not JSON", () => {
      const broken = parseToolProfiles("config/tool_profiles.json", "{ nope");
      const result = validateDocuments([doc("a.json", bundle("ws-a"))], {
        trackedFiles: [],
        toolProfiles: broken,
      });
      assert.deepEqual(
        result.diagnostics.map((d) => [d.type, d.severity]),
        [["config", "error"]],
      );
    });
  });
});
