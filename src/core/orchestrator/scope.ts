/**
 * The scope check: every path the workstream changed must fall within `files_scope` or
 * `files_create`. Entries are exact paths, directories (`docs/`) or picomatch globs.
 */
import picomatch from "picomatch";

function toGlob(entry: string): string {
  const clean = entry.replace(/\\/g, "/").replace(/^\.\//, "");
  if (clean.endsWith("/")) return `${clean}**`;
  return clean;
}

/** A matcher for a list of scope entries; a directory entry (trailing `/` or existing dir) covers its files. */
export function scopeMatcher(entries: readonly string[]): (path: string) => boolean {
  const globs = entries.filter((entry) => entry.trim() !== "").map(toGlob);
  if (globs.length === 0) return () => false;
  const matchers = globs.flatMap((glob) => {
    const direct = picomatch(glob, { dot: true });
    // An entry without glob characters may also name a directory: cover what is under it.
    const under = picomatch.scan(glob).isGlob
      ? undefined
      : picomatch(`${glob.replace(/\/$/, "")}/**`, { dot: true });
    return under ? [direct, under] : [direct];
  });
  return (path) => {
    const normal = path.replace(/\\/g, "/").replace(/^\.\//, "");
    return matchers.some((match) => match(normal));
  };
}

/** The changed paths outside the allowed scope, sorted; empty when the change stays in scope. */
export function outOfScopePaths(
  changed: readonly string[],
  filesScope: readonly string[],
  filesCreate: readonly string[],
): string[] {
  const allowed = scopeMatcher([...filesScope, ...filesCreate]);
  return [...new Set(changed.filter((path) => !allowed(path)))].sort();
}

/** A scope compiled once, for comparing it with many others (see `preparedScopesOverlap`). */
export interface PreparedScope {
  readonly globs: readonly string[];
  readonly matches: (path: string) => boolean;
  readonly bases: readonly { base: string; isGlob: boolean }[];
}

export function prepareScope(entries: readonly string[]): PreparedScope {
  // files_scope and files_create often repeat a path; each distinct one is compared once.
  const globs = [...new Set(entries.filter((e) => e.trim() !== "").map(toGlob))];
  const bases = globs.map((glob) => {
    const scan = picomatch.scan(glob);
    return { base: scan.isGlob ? scan.base : glob, isGlob: scan.isGlob };
  });
  const literalOnly = bases.every((base) => !base.isGlob);
  return { globs, matches: literalOnly ? literalMatcher(globs) : scopeMatcher(globs), bases };
}

/**
 * What `scopeMatcher` answers for entries without glob characters (each a file, or a directory
 * covering what is under it), by set lookups of the path and its parent directories: the
 * scheduler asks it for every pair of workstreams.
 */
function literalMatcher(paths: readonly string[]): (path: string) => boolean {
  const covered = new Set(paths.map((entry) => entry.replace(/\/+$/, "")));
  return (path) => {
    for (let candidate = path.replace(/\\/g, "/").replace(/^\.\//, ""); ;) {
      if (covered.has(candidate)) return true;
      const slash = candidate.lastIndexOf("/");
      if (slash <= 0) return false;
      candidate = candidate.slice(0, slash);
    }
  };
}

/**
 * Whether two scopes may touch the same file. Conservative: literal paths overlap when one covers the
 * other; a glob overlaps anything under its static base or matching it.
 */
export function scopesOverlap(a: readonly string[], b: readonly string[]): boolean {
  return preparedScopesOverlap(prepareScope(a), prepareScope(b));
}

/** `scopesOverlap` on scopes compiled once: the scheduler compares every pair of workstreams. */
export function preparedScopesOverlap(a: PreparedScope, b: PreparedScope): boolean {
  const prefix = (p: string, q: string) => p === "" || q === p || q.startsWith(`${p}/`);
  for (const [i, x] of a.globs.entries()) {
    for (const [j, y] of b.globs.entries()) {
      if (x === y || a.matches(y) || b.matches(x)) return true;
      const bx = a.bases[i];
      const by = b.bases[j];
      if (!bx.isGlob && !by.isGlob) continue;
      if ((bx.isGlob && prefix(bx.base, by.base)) || (by.isGlob && prefix(by.base, bx.base))) return true;
    }
  }
  return false;
}
