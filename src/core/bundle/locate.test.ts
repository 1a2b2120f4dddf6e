import assert from "node:assert/strict";
import { findNodeAtLocation, parseTree, type Node } from "jsonc-parser";
import { locateValue } from "./locate";

/** Every path in a JSON value, plus a few that do not exist. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = [prefix];
  if (Array.isArray(value)) {
    value.forEach((item, index) => paths.push(...pathsOf(item, [...prefix, index])));
    paths.push([...prefix, value.length], [...prefix, "0"]);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
    paths.push([...prefix, "missing"], [...prefix, 0]);
  } else {
    paths.push([...prefix, 0], [...prefix, "x"]);
  }
  return paths;
}

describe("locating a JSON path without a tree", () => {
  const texts = [
    JSON.stringify(
      { id: "ws-a", files_scope: ["src/", "a b"], nested: { deep: [[1, { x: null }], true] } },
      null,
      2,
    ),
    '[{"id":"a","tasks":["x\\"y\\\\", "\\u00e9😀"]},{"id":"b","n":-1.5e3,"e":{},"l":[]}]',
    ' {"dup": 1, "dup": [2, 3], "s": "é", "after": {"k": false}}',
    '"just a string"',
    "[]",
  ];
  for (const text of texts) {
    it(`agrees with jsonc-parser's tree on every path of ${text.slice(0, 30)}…`, () => {
      const root = parseTree(text)!;
      for (const path of pathsOf(JSON.parse(text))) {
        const node: Node | undefined = findNodeAtLocation(root, path);
        const found = locateValue(text, path);
        if (!node) {
          assert.equal(found, undefined, JSON.stringify(path));
          continue;
        }
        assert.ok(found, JSON.stringify(path));
        assert.equal(found.offset, node.offset, JSON.stringify(path));
        if (!found.container) assert.equal(found.length, node.length, JSON.stringify(path));
        assert.equal(found.container, node.type === "object" || node.type === "array");
        const key = node.parent?.type === "property" ? node.parent.children![0] : undefined;
        assert.deepEqual(found.key, key && { offset: key.offset, length: key.length }, JSON.stringify(path));
      }
    });
  }
});
