import assert from "node:assert/strict";
import picomatch from "picomatch";
import { couldOverlap, isLiteralEntry, scanEntry, scopeMatcher } from "./globs";
import { sampleEntries, samplePaths } from "./globSamples";
import { PathIndex } from "./pathIndex";

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
    const match = (entry: string): string[] => pathsIn(index, index.matchEntry(entry));
    assert.deepEqual(match("aim"), ["aim/a.py", "aim/sub/b.py"]);
    assert.deepEqual(match("scripts/aim_*.py"), ["scripts/aim_x.py"]);
    assert.deepEqual(match("**/*.yml"), [".github/ci.yml"]);
    assert.deepEqual(match("aimless.txt"), ["aimless.txt"]);
    assert.deepEqual(match("aim/sub/b.py"), ["aim/sub/b.py"]);
    assert.deepEqual(match("ai"), []);
  });

  it("classifies and splits entries exactly as picomatch's scan does, shortcut or not", () => {
    const alphabet = "ab/.*?[]{}()!+@,-\\";
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const entries = ["{*", "[b}*", "a/*.js", "a/?.js", "a[b", "a{b,c}", "!a", "@(x)", "\\*", "a/b.c"];
    for (let count = 0; count < 5000; count++) {
      let entry = "";
      for (let length = 1 + (next() % 8); length > 0; length--) entry += alphabet[next() % alphabet.length];
      entries.push(entry);
    }
    for (const entry of entries) {
      assert.equal(isLiteralEntry(entry), !picomatch.scan(entry).isGlob, entry);
      const { isGlob, negated, prefix, base, glob } = picomatch.scan(entry);
      assert.deepEqual(scanEntry(entry), { isGlob, negated, prefix, base, glob }, entry);
    }
  });

  it("matches every path as picomatch does on the whole entry, though globs are compiled after their base", () => {
    for (const entry of sampleEntries(11, 3000)) {
      const whole = picomatch.makeRe(entry, { dot: true });
      const matcher = scopeMatcher(entry);
      for (const path of samplePaths)
        assert.equal(
          matcher.test(path),
          whole.test(path) || (isLiteralEntry(entry) && path.startsWith(entry + "/")),
          `${entry} on ${path}`,
        );
    }
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
