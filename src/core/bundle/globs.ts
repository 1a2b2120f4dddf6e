/**
 * Scope entries as matchers, and the "could these two patterns ever match the same file?" test.
 *
 * A literal entry (no glob characters) matches itself and everything below it, so `aim/`, `aim`
 * and `README.md` all work. A glob is compiled once by picomatch (`dot: true`) and only tried on
 * the files under its static base, found through a directory index.
 */
import picomatch from "picomatch";

export interface ScopeMatcher {
  entry: string;
  literal: boolean;
  /** Directory prefix every match lies under ("" for the repository root). */
  base: string;
  test(file: string): boolean;
}

const matchers = new Map<string, ScopeMatcher>();

const globCharacters = /[*?[\]{}()!+@]/;

/** True when the entry has no glob syntax, so it names a file or a directory. */
export function isLiteralEntry(entry: string): boolean {
  return !globCharacters.test(entry) || !picomatch.scan(entry).isGlob;
}

/** The matcher for a normalised entry; compiled once per distinct entry and reused. */
export function scopeMatcher(entry: string): ScopeMatcher {
  const known = matchers.get(entry);
  if (known) return known;
  const scan = globCharacters.test(entry) ? picomatch.scan(entry) : undefined;
  let matcher: ScopeMatcher;
  if (!scan?.isGlob) {
    const below = entry + "/";
    matcher = { entry, literal: true, base: entry, test: (file) => file === entry || file.startsWith(below) };
  } else {
    let regex: RegExp | undefined; // compiled on first use: many entries are only ever classified
    matcher = {
      entry,
      literal: false,
      base: scan.base.replace(/\/+$/, ""),
      test: (file) => (regex ??= picomatch.makeRe(entry, { dot: true })).test(file),
    };
  }
  matchers.set(entry, matcher);
  return matcher;
}

interface DirectoryNode {
  /** Files directly in this directory, as full repository paths. */
  files: string[];
  /** Subdirectories, as full repository paths. */
  directories: string[];
}

/**
 * Repository paths indexed by directory, with counts so several sources (tracked files, each
 * bundle's declared files) can add and remove the same path. A literal entry is a hash look-up plus
 * a walk of its own subtree; a glob walks only the subtree of its static base.
 */
export class PathIndex {
  private readonly counts = new Map<string, number>();
  private readonly directories = new Map<string, DirectoryNode>();

  constructor(files: Iterable<string> = []) {
    for (const file of files) this.add(file);
  }

  get size(): number {
    return this.counts.size;
  }

  has(file: string): boolean {
    return this.counts.has(file);
  }

  /** Counts one more source for `file`; true when the file was not present before. */
  add(file: string): boolean {
    const count = this.counts.get(file);
    this.counts.set(file, (count ?? 0) + 1);
    if (count !== undefined) return false;
    const slash = file.lastIndexOf("/");
    this.directory(slash < 0 ? "" : file.slice(0, slash)).files.push(file);
    return true;
  }

  /** Counts one source less for `file`; true when no source holds it any more. */
  remove(file: string): boolean {
    const count = this.counts.get(file);
    if (count === undefined) return false;
    if (count > 1) {
      this.counts.set(file, count - 1);
      return false;
    }
    this.counts.delete(file);
    const slash = file.lastIndexOf("/");
    const parent = slash < 0 ? "" : file.slice(0, slash);
    const node = this.directories.get(parent)!;
    node.files.splice(node.files.indexOf(file), 1);
    this.prune(parent, node);
    return true;
  }

  /** Files that `matcher` matches, in no particular order. */
  match(matcher: ScopeMatcher): string[] {
    const found: string[] = [];
    if (matcher.literal && this.counts.has(matcher.entry)) found.push(matcher.entry);
    // Every file below the literal entry or the glob's base, at any depth.
    const start = this.directories.get(matcher.literal ? matcher.entry : matcher.base);
    if (!start) return found;
    const pending = [start];
    for (let node = pending.pop(); node; node = pending.pop()) {
      if (matcher.literal) for (const file of node.files) found.push(file);
      else for (const file of node.files) if (matcher.test(file)) found.push(file);
      for (const child of node.directories) pending.push(this.directories.get(child)!);
    }
    return found;
  }

  private directory(path: string): DirectoryNode {
    let node = this.directories.get(path);
    if (node) return node;
    node = { files: [], directories: [] };
    this.directories.set(path, node);
    if (path !== "") {
      const slash = path.lastIndexOf("/");
      this.directory(slash < 0 ? "" : path.slice(0, slash)).directories.push(path);
    }
    return node;
  }

  private prune(path: string, node: DirectoryNode): void {
    if (path === "" || node.files.length > 0 || node.directories.length > 0) return;
    this.directories.delete(path);
    const slash = path.lastIndexOf("/");
    const parentPath = slash < 0 ? "" : path.slice(0, slash);
    const parent = this.directories.get(parentPath)!;
    parent.directories.splice(parent.directories.indexOf(path), 1);
    this.prune(parentPath, parent);
  }
}

/**
 * Could some path match both entries? Sound (never says no when a shared path exists) and cheap:
 * the patterns are compared segment by segment, `**` may absorb any number of segments, a literal
 * entry ends in an implicit `**` (it matches everything below it), a literal segment is tested
 * against the other glob segment, and two glob segments are compatible unless their literal
 * prefixes or suffixes contradict each other. Braces and extglobs are not analysed: they count as
 * "could overlap" when the static bases allow it.
 */
export function couldOverlap(a: string, b: string): boolean {
  const first = segmentsOf(a);
  const second = segmentsOf(b);
  if (!first || !second) return basesCompatible(scopeMatcher(a).base, scopeMatcher(b).base);
  const memo = new Map<number, boolean>();
  const walk = (i: number, j: number): boolean => {
    const key = i * 4096 + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === first.length && j === second.length) result = true;
    else if (first[i] === "**") result = walk(i + 1, j) || (j < second.length && walk(i, j + 1));
    else if (second[j] === "**") result = walk(i, j + 1) || (i < first.length && walk(i + 1, j));
    else if (i === first.length || j === second.length) result = false;
    else result = segmentsCompatible(first[i], second[j]) && walk(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return walk(0, 0);
}

function segmentsOf(entry: string): string[] | undefined {
  const scan = picomatch.scan(entry);
  if (scan.isBrace || scan.isExtglob || scan.negated) return undefined;
  const segments = entry.split("/").filter((segment) => segment !== "");
  return scan.isGlob ? segments : [...segments, "**"];
}

function basesCompatible(a: string, b: string): boolean {
  const longer = a.length >= b.length ? a : b;
  const shorter = longer === a ? b : a;
  return shorter === "" || longer === shorter || longer.startsWith(shorter + "/");
}

function segmentsCompatible(a: string, b: string): boolean {
  const aGlob = globCharacters.test(a);
  const bGlob = globCharacters.test(b);
  if (!aGlob && !bGlob) return a === b;
  if (!aGlob) return picomatch.isMatch(a, b, { dot: true });
  if (!bGlob) return picomatch.isMatch(b, a, { dot: true });
  const prefix = (segment: string): string => segment.slice(0, segment.search(globCharacters));
  const suffix = (segment: string): string => {
    let at = segment.length;
    while (at > 0 && !globCharacters.test(segment[at - 1])) at--;
    return segment.slice(at);
  };
  const [pa, pb, sa, sb] = [prefix(a), prefix(b), suffix(a), suffix(b)];
  return (pa.startsWith(pb) || pb.startsWith(pa)) && (sa.endsWith(sb) || sb.endsWith(sa));
}
