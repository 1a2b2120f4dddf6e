import assert from "node:assert/strict";
import { couldOverlap, PathIndex, scopeMatcher } from "./globs";

describe("scope globs", () => {
  it("matches literal entries as a file or a directory, globs through picomatch", () => {
    const index = new PathIndex([
      "aim/a.py",
      "aim/sub/b.py",
      "aimless.txt",
      "scripts/aim_x.py",
      ".github/ci.yml",
    ]);
    const match = (entry: string): string[] => index.match(scopeMatcher(entry)).sort();
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
    assert.deepEqual(index.match(scopeMatcher("a")).sort(), ["a/b/c.ts", "a/d.ts"]);
    assert.equal(index.remove("a/b/c.ts"), true);
    assert.deepEqual(index.match(scopeMatcher("a/b")), []);
    assert.deepEqual(index.match(scopeMatcher("**")), ["a/d.ts"]);
    assert.equal(index.remove("a/d.ts"), true);
    assert.equal(index.size, 0);
    assert.deepEqual(index.match(scopeMatcher("**")), []);
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
