/** The overlap universe's index: repository paths by directory, numbered, with source counts. */
import { ExactList } from "./exactList";
import { isLiteralEntry, scopeMatcher, type ScopeMatcher } from "./globs";

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
    if (Array.isArray(files)) {
      // Sized once for the listing and the bundles' own files, which usually come on top of it.
      const capacity = Math.max(64, Math.ceil((files as readonly string[]).length * 1.5));
      this.sources = new Int32Array(capacity);
      this.nextInDirectory = new Int32Array(capacity);
    }
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

  /** Ids of the files a scope entry matches (see scopeMatcher), in no particular order. */
  matchEntry(entry: string): number[] {
    this.found.clear(); // in case an earlier match never got to the end
    this.visitEntry(entry, this.found);
    return this.found.take();
  }

  /** Hands `sink` every file a scope entry matches, without a list; returns how many. */
  visitEntry(entry: string, sink: PathSink): number {
    // Most entries are plain paths: no matcher to build or look up for them.
    if (isLiteralEntry(entry)) return this.visitBelow(entry, sink);
    const matcher = scopeMatcher(entry);
    const start = this.directories.get(matcher.base);
    return start === undefined ? 0 : this.walk(start, matcher, sink);
  }

  /** Hands `sink` the file `entry` names and every file below the directory it names; returns how many. */
  private visitBelow(entry: string, sink: PathSink): number {
    const start = this.directories.get(entry);
    // A directory's parent is the directory a file of the same path would be in: no second look-up.
    const exact = start?.parent ? this.fileIn(start.parent, entry) : this.find(entry);
    if (exact !== none) sink.push(exact);
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
      if (matcher?.directOnly) continue;
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
