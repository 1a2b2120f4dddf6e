import assert from "node:assert/strict";
import picomatch from "picomatch";
import { couldOverlap, isLiteralEntry, PathIndex, scopeMatcher } from "./globs";

/** The paths of the files an index found. */
const pathsIn = (index: PathIndex, found: readonly number[]): string[] =>
  found.map((id) => index.pathOf(id)).sort();

describe("scope globs", () => {
  it("matches literal entries as a file or a directory, globs through picomatch", () => {
    const index = new PathIndex([
      "aim/a.py",
      "aim/sub/b.py",
      "aimless.txt",
      "scripts/aim_x.py",
      ".github/ci.yml",
    ]);
    const match = (entry: string): string[] => pathsIn(index, index.match(scopeMatcher(entry)));
    assert.deepEqual(match("aim"), ["aim/a.py", "aim/sub/b.py"]);
    assert.deepEqual(match("scripts/aim_*.py"), ["scripts/aim_x.py"]);
    assert.deepEqual(match("**/*.yml"), [".github/ci.yml"]);
    assert.deepEqual(match("aimless.txt"), ["aimless.txt"]);
    assert.deepEqual(match("aim/sub/b.py"), ["aim/sub/b.py"]);
    assert.deepEqual(match("ai"), []);
  });

  it("keeps a path while any source still holds it, and prunes emptied directories", () => {
    const index = new PathIndex(["a/b/c.ts"]);
    assert.equal(index.add("a/b/c.ts"), false);
    assert.equal(index.add("a/d.ts"), true);
    assert.equal(index.remove("a/b/c.ts"), false);
    assert.deepEqual(pathsIn(index, index.match(scopeMatcher("a"))), ["a/b/c.ts", "a/d.ts"]);
    assert.equal(index.remove("a/b/c.ts"), true);
    assert.deepEqual(pathsIn(index, index.match(scopeMatcher("a/b"))), []);
    assert.deepEqual(pathsIn(index, index.match(scopeMatcher("**"))), ["a/d.ts"]);
    assert.equal(index.remove("a/d.ts"), true);
    assert.equal(index.size, 0);
    assert.deepEqual(pathsIn(index, index.match(scopeMatcher("**"))), []);
  });

  it("re-creates a pruned directory for the next file added to it, and never reuses an id", () => {
    const index = new PathIndex(["x/a.ts"]);
    const [first] = index.match(scopeMatcher("x"));
    assert.equal(index.remove("x/a.ts"), true);
    assert.deepEqual(pathsIn(index, index.match(scopeMatcher("x"))), []);
    assert.equal(index.add("x/b.ts"), true);
    const [second] = index.match(scopeMatcher("x"));
    assert.equal(index.pathOf(second), "x/b.ts");
    assert.notEqual(second, first);
    assert.ok(second < index.idLimit);
    assert.deepEqual(pathsIn(index, index.match(scopeMatcher("**"))), ["x/b.ts"]);
  });

  it("finds, counts and removes files the same way in small directories and in large ones", () => {
    for (const count of [3, 40, 130]) {
      const names = Array.from({ length: count }, (_, n) => `big/f${n}.ts`);
      const index = new PathIndex([...names, "big/sub/g.ts"]);
      assert.equal(index.size, count + 1);
      assert.equal(index.add(names[1]), false, "a second source for a known file");
      assert.equal(index.has(names[count - 1]), true);
      assert.equal(index.has("big/f999.ts"), false);
      assert.deepEqual(pathsIn(index, index.match(scopeMatcher(names[2]))), [names[2]]);
      assert.equal(index.match(scopeMatcher("big")).length, count + 1);
      assert.equal(index.remove(names[1]), false, "one source still holds it");
      assert.equal(index.remove(names[1]), true);
      assert.equal(index.has(names[1]), false);
      assert.equal(index.remove("big/f999.ts"), false);
      assert.equal(index.remove("nowhere/x.ts"), false);
      assert.equal(index.size, count);
      assert.deepEqual(pathsIn(index, index.match(scopeMatcher("big/*.ts"))).length, count - 1);
    }
  });

  it("classifies entries as literal exactly as picomatch's scan does, shortcut or not", () => {
    const alphabet = "ab/.*?[]{}()!+@,-\\";
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const entries = ["{*", "[b}*", "a/*.js", "a/?.js", "a[b", "a{b,c}", "!a", "@(x)", "\\*", "a/b.c"];
    for (let count = 0; count < 5000; count++) {
      let entry = "";
      for (let length = 1 + (next() % 8); length > 0; length--) entry += alphabet[next() % alphabet.length];
      entries.push(entry);
    }
    for (const entry of entries) assert.equal(isLiteralEntry(entry), !picomatch.scan(entry).isGlob, entry);
  });

  const cases: [string, string, boolean][] = [
    ["src/**/*.ts", "src/a/b.ts", true],
    ["src/**/*.ts", "src/a/*.js", false],
    ["src/**/*.ts", "src/a/b.js", true],
    ["src/*.ts", "src/a/b.ts", false],
    ["src/", "src/deep/**/x", true],
    ["docs/", "src/**", false],
    ["lib/**/*.ts", "lib/util/*.ts", true],
    ["lib/**/*.ts", "lib/**/*.md", false],
    ["a/b*/c", "a/*x/c", true],
    ["a/b*/c", "a/c*/c", false],
    ["**", "anything/at/all", true],
    ["src/{a,b}/x.ts", "src/c/x.ts", true],
    ["src/{a,b}/x.ts", "lib/x.ts", false],
  ];
  for (const [a, b, expected] of cases) {
    it(`${a} and ${b} ${expected ? "could" : "cannot"} overlap (both ways)`, () => {
      assert.equal(couldOverlap(a, b), expected);
      assert.equal(couldOverlap(b, a), expected);
    });
  }
});
