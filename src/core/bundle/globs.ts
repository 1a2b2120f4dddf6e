/**
 * Scope entries as matchers, and the "could these two patterns ever match the same file?" test.
 *
 * A literal entry (no glob characters) matches itself and everything below it, so `aim/`, `aim`
 * and `README.md` all work. A glob is compiled once by picomatch (`dot: true`) and only tried on
 * the files under its static base, found through a directory index.
 */
import picomatch from "picomatch";
import { ExactList } from "./exactList";

export interface ScopeMatcher {
  entry: string;
  literal: boolean;
  /** Directory prefix every match lies under ("" for the repository root). */
  base: string;
  test(file: string): boolean;
}

const matchers = new Map<string, ScopeMatcher>();
/**
 * The editor's process lives for days and every half-typed entry is a new key: past this many the
 * cache starts again rather than grow without end (a workspace rarely has more distinct entries).
 */
const matcherCacheLimit = 50_000;

const globCharacters = /[*?[\]{}()!+@]/;

/**
 * A star or a question mark with no escape, bracket, brace, paren or extglob sign before it is a glob
 * for picomatch without asking it (after an unclosed brace, say, picomatch reads a star as literal).
 */
const plainGlob = /^[^\\[\]{}()!+@]*[*?]/;

/** True when the entry has no glob syntax, so it names a file or a directory. */
export function isLiteralEntry(entry: string): boolean {
  // picomatch.scan builds a token list: worth it only for brackets, braces and the like.
  if (!globCharacters.test(entry)) return true;
  return !plainGlob.test(entry) && !picomatch.scan(entry).isGlob;
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
  if (matchers.size >= matcherCacheLimit) matchers.clear();
  matchers.set(entry, matcher);
  return matcher;
}

/** Takes the file ids a walk finds, one call each (an ExactList is one). */
export interface PathSink {
  push(fileId: number): void;
}

/**
 * A directory, with its files and subdirectories as linked lists: most directories hold a handful
 * of files, and an array each would be the index's largest cost.
 */
interface DirectoryNode {
  path: string;
  parent: DirectoryNode | undefined;
  /** The id of its first file (see PathIndex.nextInDirectory), or -1. */
  firstFile: number;
  fileCount: number;
  /** File ids by path, made once there are too many to scan (see fileIn). */
  byPath: Map<string, number> | undefined;
  firstChild: DirectoryNode | undefined;
  nextSibling: DirectoryNode | undefined;
}

const none = -1;

/**
 * Repository paths indexed by directory, with counts so several sources (tracked files, each
 * bundle's declared files) can add and remove the same path. A literal entry is a look-up plus
 * a walk of its own subtree; a glob walks only the subtree of its static base.
 *
 * Files are numbered. An id is dense and never reused, so callers keep per-file state in arrays,
 * and the index keeps its own in typed arrays: no object and no map entry per file, which were
 * most of what a one-off validation allocated. A file is found through its directory, by a short
 * scan for most directories.
 */
export class PathIndex {
  private readonly directories = new Map<string, DirectoryNode>();
  /** By file id: its path ("" once removed). */
  private readonly paths: string[] = [];
  /** By file id: how many sources hold it. */
  private sources = new Int32Array(64);
  /** By file id: the next file in its directory, or -1. */
  private nextInDirectory = new Int32Array(64);
  private fileCount = 0;
  /** The directory of the last file added: listings arrive grouped by directory, so most adds skip a look-up. */
  private lastDirectory: DirectoryNode | undefined;

  constructor(files: Iterable<string> = []) {
    for (const file of files) this.add(file);
  }

  get size(): number {
    return this.fileCount;
  }

  /** One more than the largest id handed out so far. */
  get idLimit(): number {
    return this.paths.length;
  }

  pathOf(fileId: number): string {
    return this.paths[fileId];
  }

  has(file: string): boolean {
    return this.find(file) !== none;
  }

  /** Counts one more source for `file`; true when the file was not present before. */
  add(file: string): boolean {
    const node = this.directoryOf(file);
    const known = this.fileIn(node, file);
    if (known !== none) {
      this.sources[known]++;
      return false;
    }
    const id = this.paths.length;
    if (id === this.sources.length) this.grow();
    this.paths.push(file);
    this.sources[id] = 1;
    this.nextInDirectory[id] = node.firstFile;
    node.firstFile = id;
    node.fileCount++;
    if (node.byPath !== undefined) node.byPath.set(file, id);
    else if (node.fileCount > scanLimit) {
      node.byPath = new Map();
      for (let other = id; other !== none; other = this.nextInDirectory[other])
        node.byPath.set(this.paths[other], other);
    }
    this.fileCount++;
    return true;
  }

  /** Counts one source less for `file`; true when no source holds it any more. */
  remove(file: string): boolean {
    const node = this.existingDirectoryOf(file);
    const id = node === undefined ? none : this.fileIn(node, file);
    if (node === undefined || id === none) return false;
    if (--this.sources[id] > 0) return false;
    if (node.firstFile === id) node.firstFile = this.nextInDirectory[id];
    else {
      let before = node.firstFile;
      while (this.nextInDirectory[before] !== id) before = this.nextInDirectory[before];
      this.nextInDirectory[before] = this.nextInDirectory[id];
    }
    this.paths[id] = "";
    node.fileCount--;
    node.byPath?.delete(file);
    this.fileCount--;
    this.prune(node);
    return true;
  }

  /** Ids of the files that `matcher` matches, in no particular order. */
  match(matcher: ScopeMatcher): number[] {
    this.found.clear(); // in case an earlier match never got to the end
    this.visitMatches(matcher, this.found);
    return this.found.take();
  }

  /** Ids of the file `entry` names and of every file below the directory it names. */
  below(entry: string): number[] {
    this.found.clear();
    this.visitBelow(entry, this.found);
    return this.found.take();
  }

  /** Hands `sink` every file `matcher` matches, without a list; returns how many. */
  visitMatches(matcher: ScopeMatcher, sink: PathSink): number {
    if (matcher.literal) return this.visitBelow(matcher.entry, sink);
    const start = this.directories.get(matcher.base);
    return start === undefined ? 0 : this.walk(start, matcher, sink);
  }

  /** Hands `sink` the file `entry` names and every file below the directory it names; returns how many. */
  visitBelow(entry: string, sink: PathSink): number {
    const exact = this.find(entry);
    if (exact !== none) sink.push(exact);
    const start = this.directories.get(entry);
    return (exact === none ? 0 : 1) + (start === undefined ? 0 : this.walk(start, undefined, sink));
  }

  private readonly found = new ExactList<number>();
  /** The walk's stack of directories still to visit, reused (only its first `top` slots count). */
  private readonly pending: DirectoryNode[] = [];

  /** Hands `sink` every file at any depth below `start` that `matcher` (if given) matches. */
  private walk(start: DirectoryNode, matcher: ScopeMatcher | undefined, sink: PathSink): number {
    const { pending, nextInDirectory, paths } = this;
    let count = 0;
    let top = 0;
    pending[top++] = start;
    while (top > 0) {
      const node = pending[--top];
      for (let file = node.firstFile; file !== none; file = nextInDirectory[file])
        if (matcher === undefined || matcher.test(paths[file])) {
          sink.push(file);
          count++;
        }
      for (let child = node.firstChild; child; child = child.nextSibling) pending[top++] = child;
    }
    return count;
  }

  private grow(): void {
    const capacity = this.sources.length * 2;
    const sources = new Int32Array(capacity);
    sources.set(this.sources);
    this.sources = sources;
    const next = new Int32Array(capacity);
    next.set(this.nextInDirectory);
    this.nextInDirectory = next;
  }

  private fileIn(node: DirectoryNode, file: string): number {
    if (node.byPath !== undefined) return node.byPath.get(file) ?? none;
    for (let id = node.firstFile; id !== none; id = this.nextInDirectory[id])
      if (this.paths[id] === file) return id;
    return none;
  }

  private find(file: string): number {
    const node = this.existingDirectoryOf(file);
    return node === undefined ? none : this.fileIn(node, file);
  }

  /** The directory `file` is in, made (with its parents) when it does not exist yet. */
  private directoryOf(file: string): DirectoryNode {
    const length = Math.max(file.lastIndexOf("/"), 0);
    const last = this.lastDirectory;
    if (last !== undefined && last.path.length === length && file.startsWith(last.path)) return last;
    return (this.lastDirectory = this.directory(file.slice(0, length)));
  }

  private existingDirectoryOf(file: string): DirectoryNode | undefined {
    const length = Math.max(file.lastIndexOf("/"), 0);
    const last = this.lastDirectory;
    if (last !== undefined && last.path.length === length && file.startsWith(last.path)) return last;
    return this.directories.get(file.slice(0, length));
  }

  private directory(path: string): DirectoryNode {
    const known = this.directories.get(path);
    if (known) return known;
    const parent =
      path === "" ? undefined : this.directory(path.slice(0, Math.max(path.lastIndexOf("/"), 0)));
    const node: DirectoryNode = {
      path,
      parent,
      firstFile: none,
      fileCount: 0,
      byPath: undefined,
      firstChild: undefined,
      nextSibling: parent?.firstChild,
    };
    if (parent) parent.firstChild = node;
    this.directories.set(path, node);
    return node;
  }

  private prune(node: DirectoryNode): void {
    const { parent } = node;
    if (parent === undefined || node.fileCount > 0 || node.firstChild !== undefined) return;
    this.directories.delete(node.path);
    if (this.lastDirectory === node) this.lastDirectory = undefined;
    if (parent.firstChild === node) parent.firstChild = node.nextSibling;
    else {
      let before = parent.firstChild!;
      while (before.nextSibling !== node) before = before.nextSibling!;
      before.nextSibling = node.nextSibling;
    }
    this.prune(parent);
  }
}

/** Up to this many files a directory is scanned for a path; past it, it keeps a map. */
const scanLimit = 8;

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
