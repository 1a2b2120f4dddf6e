import assert from "node:assert/strict";
import { couldOverlap, FileIndex, scopeMatcher } from "./globs";

describe("scope globs", () => {
  it("matches literal entries as a file or a directory, globs through picomatch", () => {
    const index = new FileIndex([
      "aim/a.py",
      "aim/sub/b.py",
      "aimless.txt",
      "scripts/aim_x.py",
      ".github/ci.yml",
    ]);
    assert.deepEqual(index.match(scopeMatcher("aim")), ["aim/a.py", "aim/sub/b.py"]);
    assert.deepEqual(index.match(scopeMatcher("scripts/aim_*.py")), ["scripts/aim_x.py"]);
    assert.deepEqual(index.match(scopeMatcher("**/*.yml")), [".github/ci.yml"]);
    assert.deepEqual(index.match(scopeMatcher("aimless.txt")), ["aimless.txt"]);
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
