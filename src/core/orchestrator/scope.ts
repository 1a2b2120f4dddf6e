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

/**
 * Whether two scopes may touch the same file. Conservative: literal paths overlap when one covers the
 * other; a glob overlaps anything under its static base or matching it.
 */
export function scopesOverlap(a: readonly string[], b: readonly string[]): boolean {
  const norm = (entries: readonly string[]) => entries.filter((e) => e.trim() !== "").map(toGlob);
  const left = norm(a);
  const right = norm(b);
  const matchA = scopeMatcher(left);
  const matchB = scopeMatcher(right);
  const base = (glob: string) => {
    const scan = picomatch.scan(glob);
    return { base: scan.isGlob ? scan.base : glob, isGlob: scan.isGlob };
  };
  for (const x of left) {
    for (const y of right) {
      if (x === y || matchA(y) || matchB(x)) return true;
      const bx = base(x);
      const by = base(y);
      if (!bx.isGlob && !by.isGlob) continue;
      const prefix = (p: string, q: string) => p === "" || q === p || q.startsWith(`${p}/`);
      if ((bx.isGlob && prefix(bx.base, by.base)) || (by.isGlob && prefix(by.base, bx.base))) return true;
    }
  }
  return false;
}
