import assert from "node:assert/strict";
import picomatch from "picomatch";
import { isLiteralEntry } from "./globs";
import { sampleEntries, samplePaths } from "./globSamples";
import { PathIndex } from "./pathIndex";

/** The paths of the files an index found. */
const pathsIn = (index: PathIndex, found: readonly number[]): string[] =>
  found.map((id) => index.pathOf(id)).sort();

describe("path index", () => {
  it("finds for any entry exactly the files below its base that picomatch matches", () => {
    const index = new PathIndex(samplePaths);
    for (const entry of sampleEntries(5, 2000)) {
      let expected: string[];
      if (isLiteralEntry(entry))
        expected = samplePaths.filter((path) => path === entry || path.startsWith(entry + "/"));
      else {
        const base = picomatch.scan(entry).base.replace(/\/+$/, "");
        const regex = picomatch.makeRe(entry, { dot: true });
        expected = samplePaths.filter(
          (path) => (base === "" || path.startsWith(base + "/")) && regex.test(path),
        );
      }
      assert.deepEqual(pathsIn(index, index.matchEntry(entry)), expected.sort(), entry);
    }
  });

  it("keeps a path while any source still holds it, and prunes emptied directories", () => {
    const index = new PathIndex(["a/b/c.ts"]);
    assert.equal(index.add("a/b/c.ts"), false);
    assert.equal(index.add("a/d.ts"), true);
    assert.equal(index.remove("a/b/c.ts"), false);
    assert.deepEqual(pathsIn(index, index.matchEntry("a")), ["a/b/c.ts", "a/d.ts"]);
    assert.equal(index.remove("a/b/c.ts"), true);
    assert.deepEqual(pathsIn(index, index.matchEntry("a/b")), []);
    assert.deepEqual(pathsIn(index, index.matchEntry("**")), ["a/d.ts"]);
    assert.equal(index.remove("a/d.ts"), true);
    assert.equal(index.size, 0);
    assert.deepEqual(pathsIn(index, index.matchEntry("**")), []);
  });

  it("re-creates a pruned directory for the next file added to it, and never reuses an id", () => {
    const index = new PathIndex(["x/a.ts"]);
    const [first] = index.matchEntry("x");
    assert.equal(index.remove("x/a.ts"), true);
    assert.deepEqual(pathsIn(index, index.matchEntry("x")), []);
    assert.equal(index.add("x/b.ts"), true);
    const [second] = index.matchEntry("x");
    assert.equal(index.pathOf(second), "x/b.ts");
    assert.notEqual(second, first);
    assert.ok(second < index.idLimit);
    assert.deepEqual(pathsIn(index, index.matchEntry("**")), ["x/b.ts"]);
  });

  it("finds, counts and removes files the same way in small directories and in large ones", () => {
    for (const count of [3, 40, 130]) {
      const names = Array.from({ length: count }, (_, n) => `big/f${n}.ts`);
      const index = new PathIndex([...names, "big/sub/g.ts"]);
      assert.equal(index.size, count + 1);
      assert.equal(index.add(names[1]), false, "a second source for a known file");
      assert.equal(index.has(names[count - 1]), true);
      assert.equal(index.has("big/f999.ts"), false);
      assert.deepEqual(pathsIn(index, index.matchEntry(names[2])), [names[2]]);
      assert.equal(index.matchEntry("big").length, count + 1);
      assert.equal(index.remove(names[1]), false, "one source still holds it");
      assert.equal(index.remove(names[1]), true);
      assert.equal(index.has(names[1]), false);
      assert.equal(index.remove("big/f999.ts"), false);
      assert.equal(index.remove("nowhere/x.ts"), false);
      assert.equal(index.size, count);
      assert.deepEqual(pathsIn(index, index.matchEntry("big/*.ts")).length, count - 1);
    }
  });
});
