/**
 * Test support for the glob and path-index tests: scope entries built from glob-heavy segments,
 * from a seed so that a failure always reproduces, and repository paths for them to match.
 */

const segments = [
  "a",
  "b",
  "ab",
  "c",
  ".x",
  "a.js",
  "b.ts",
  "*",
  "**",
  "?",
  "*.js",
  "*.ts",
  "a*",
  "[ab]",
  "{a,b}",
  "@(a|b)",
  "!(a)",
  "+(a)",
];

/** Files at several depths, with dot segments and names that are also directory names elsewhere. */
export const samplePaths: readonly string[] = [
  "a",
  "b",
  ".x",
  "a.js",
  "b.ts",
  "a/a",
  "a/b",
  "a/.x",
  "a/a.js",
  "a/b.ts",
  "a/b/a.js",
  "a/b/b.ts",
  "a/b/c/b.ts",
  "a/b/c/d/a.js",
  "a/a/a/a",
  "ab/a.js",
  "ab/b/b.ts",
  "b/a.js",
  "b/a.js/x",
  "b/ab/.x/a.js",
  ".x/b.ts",
  "x/y/z/w.ts",
];

/** `count` entries of one to four segments each. */
export function sampleEntries(seed: number, count: number): string[] {
  let state = seed;
  const next = (): number => (state = (state * 1103515245 + 12345) % 2147483648);
  const entries: string[] = [];
  for (let made = 0; made < count; made++) {
    const parts: string[] = [];
    for (let length = 1 + (next() % 4); length > 0; length--) parts.push(segments[next() % segments.length]);
    entries.push(parts.join("/"));
  }
  return entries;
}
