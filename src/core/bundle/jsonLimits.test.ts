import assert from "node:assert/strict";
import { BundleWorkspace, validateDocuments, type DocumentText } from "./workspace";
import { countKeys, duplicateKeys, MAX_NESTING, tooDeepAt } from "./jsonLimits";

const valid = (extra = ""): string =>
  `{\n  "id": "ws-a",\n  "openspec_change": "OS-1",\n  "ccpm_issue": 1,\n  "gate": 1,\n  "files_scope": ["src/a.js"],\n  "tasks": ["a: b"],\n  "tool": "scripted"${extra}\n}\n`;

function check(documents: DocumentText[]) {
  const full = validateDocuments(documents, { trackedFiles: [] });
  const editing = new BundleWorkspace({ trackedFiles: [] });
  for (const document of documents) editing.setDocument(document.uri, document.text);
  assert.deepEqual(editing.result(), full, "the incremental workspace agrees with a full pass");
  return full;
}

describe("JSON limits: nesting and duplicate keys", () => {
  it("refuses deep nesting with a positioned error instead of overflowing the stack", () => {
    const depth = 5000;
    for (const text of [
      '{"a":'.repeat(depth) + "1," + "}".repeat(depth), // invalid: jsonc-parser's recursive tree
      '{"id":"x","id":"y","a":' + '{"a":'.repeat(depth) + "1" + "}".repeat(depth + 1), // valid, duplicate key
      "[".repeat(depth) + "]".repeat(depth),
    ]) {
      const [diagnostic, ...rest] = check([{ uri: "deep.json", text }]).diagnostics;
      assert.equal(rest.length, 0);
      assert.equal(diagnostic.type, "parse");
      assert.equal(diagnostic.severity, "error");
      assert.match(diagnostic.message, new RegExp(`more than ${MAX_NESTING} levels`));
      assert.equal(diagnostic.line, 1);
      assert.equal(diagnostic.offset, tooDeepAt(text));
      assert.ok(diagnostic.column > MAX_NESTING);
    }
  });

  it("accepts nesting up to the limit", () => {
    assert.equal(tooDeepAt("[".repeat(MAX_NESTING) + "]".repeat(MAX_NESTING)), -1);
    assert.equal(
      countKeys(JSON.parse('{"a":'.repeat(MAX_NESTING) + "1" + "}".repeat(MAX_NESTING))),
      MAX_NESTING,
    );
    assert.equal(tooDeepAt('["[[[[' + "[".repeat(200) + '"]'), -1, "brackets inside strings do not count");
  });

  it("reports a duplicate key at the later key, naming the first one's place", () => {
    const text = valid(
      ',\n  "tool": "scripted",\n  "circuit_breaker": {"max_fix_attempts": 1, "max_fix_attempts": 2}',
    );
    const errors = check([{ uri: "a.json", text }]).diagnostics.filter((d) => d.severity === "error");
    assert.deepEqual(
      errors.map((d) => [d.type, d.line, d.column, d.pointer, text.slice(d.offset, d.offset + d.length)]),
      [
        ["parse", 9, 3, "/tool", '"tool"'],
        ["parse", 10, 46, "/circuit_breaker/max_fix_attempts", '"max_fix_attempts"'],
      ],
    );
    assert.match(errors[0].message, /Duplicate key "tool" \(first at line 8, column 3\)/);
  });

  it("reports nothing for a bundle without duplicates, colons in strings included", () => {
    assert.deepEqual(check([{ uri: "a.json", text: valid() }]).diagnostics, []);
    assert.deepEqual(duplicateKeys('[{"a":1},{"a":2},{"b":{"a":1},"a":":"}]'), []);
  });

  it("finds duplicates inside arrays with the right path", () => {
    assert.deepEqual(
      duplicateKeys('[{"a":1},{"b":[1,{"c":1,"c":2}]}]').map((d) => [d.path, d.key]),
      [[[1, "b", 1], "c"]],
    );
  });

  it("keeps an own __proto__ key as data, without a duplicate report", () => {
    const result = check([{ uri: "a.json", text: valid(',\n  "__proto__": {"polluted": true}') }]);
    assert.ok(result.diagnostics.some((d) => d.type === "schema"));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
