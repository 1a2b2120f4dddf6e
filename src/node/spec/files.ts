/**
 * Finding and reading the files the spec scan covers. Walks never follow symlinked directories
 * (as git and ripgrep do not), so a symlink loop cannot hang them; a symlinked file is read through
 * its link, and one that cannot be read (dangling, looping, a directory) becomes a reported problem.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  type Dirent,
} from "node:fs";
import path from "node:path";
import picomatch from "picomatch";

/** A file the scan could not use, and why; the scan goes on without it. */
export interface FileProblem {
  file: string;
  message: string;
}

/** Directories no spec scan descends into. */
const SKIPPED_DIRECTORIES = new Set([".git", "node_modules"]);

/** The nearest directory at or above `start` that holds `.git`, else `start` itself. */
export function findRepositoryRoot(start: string): string {
  let directory = path.resolve(start);
  for (;;) {
    try {
      lstatSync(path.join(directory, ".git"));
      return directory;
    } catch {
      const parent = path.dirname(directory);
      if (parent === directory) return path.resolve(start);
      directory = parent;
    }
  }
}

/** Converts an OS path relative to the root into the '/'-separated form the index uses. */
export function toIndexPath(relative: string): string {
  return path.sep === "/" ? relative : relative.split(path.sep).join("/");
}

/**
 * The files under `root/base` (recursively) that `accept` takes, as '/'-separated paths relative to
 * `root`, sorted. `accept` sees the path relative to root and the path relative to base.
 */
export function walkFiles(
  root: string,
  base: string,
  accept: (fromRoot: string, fromBase: string) => boolean,
  problems: FileProblem[],
  /** Receives the accepted files that are symbolic links (the others are regular files). */
  links?: Set<string>,
): string[] {
  const found: string[] = [];
  const baseAbsolute = path.resolve(root, base);
  const prefix = toIndexPath(path.relative(root, baseAbsolute));
  const visit = (directory: string, fromBase: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") {
        problems.push({ file: joinIndexPath(prefix, fromBase) || ".", message: (error as Error).message });
      }
      return;
    }
    for (const entry of entries) {
      const childFromBase = fromBase === "" ? entry.name : `${fromBase}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) visit(`${directory}/${entry.name}`, childFromBase);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        // Symlinks are candidates like files; FIFOs and devices are not (reading one could block).
        const fromRoot = joinIndexPath(prefix, childFromBase);
        if (accept(fromRoot, childFromBase)) {
          found.push(fromRoot);
          if (links !== undefined && !entry.isFile()) links.add(fromRoot);
        }
      }
    }
  };
  visit(baseAbsolute, "");
  return found.sort();
}

function joinIndexPath(prefix: string, rest: string): string {
  if (prefix === "") return rest;
  if (rest === "") return prefix;
  return `${prefix}/${rest}`;
}

/** The files matching any of `globs` (repo-relative) and none of `exclude`, found by walking. */
export function findByGlobs(
  root: string,
  globs: string[],
  exclude: string[],
  problems: FileProblem[],
  /** Receives the found files that are symbolic links. */
  links?: Set<string>,
): string[] {
  const isMatch = picomatch(globs, { dot: false });
  const isExcluded = exclude.length === 0 ? () => false : picomatch(exclude);
  const bases = walkBases(globs);
  const files = new Set<string>();
  for (const base of bases) {
    for (const file of walkFiles(
      root,
      base,
      (fromRoot) => isMatch(fromRoot) && !isExcluded(fromRoot),
      problems,
      links,
    )) {
      files.add(file);
    }
  }
  return [...files].sort();
}

/** The static directory prefixes of the globs, with nested ones dropped so nothing is walked twice. */
export function walkBases(globs: string[]): string[] {
  const bases = globs
    .map((glob) => {
      const scanned = picomatch.scan(glob);
      return scanned.isGlob ? scanned.base : path.posix.dirname(glob);
    })
    .map((base) => (base === "." ? "" : base))
    .sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const base of bases) {
    if (!kept.some((outer) => outer === "" || base === outer || base.startsWith(`${outer}/`)))
      kept.push(base);
  }
  return kept;
}

/** A file read as UTF-8 text, or the reason it could not be. */
export type ReadResult = { file: string; text: string } | { file: string; problem: string };

let readBuffer = Buffer.allocUnsafe(1 << 16);

/**
 * Reads one file as UTF-8. Synchronous on purpose: measured on 20,000 small docs, one thread doing
 * open/read/close beats any number of concurrent `fs.promises.readFile` calls several times over,
 * because each async read is four thread-pool round trips.
 *
 * Every file is read into one buffer that is reused and grows as needed, so only the decoded text is
 * allocated per file (readFileSync allocates a buffer per file too, and calls fstat for its size).
 * `regular` says a directory walk just saw a regular file there (not a symlink): such a file needs
 * no fstat, and a read shorter than asked for is its end. Anything else, a symlink in particular, is
 * checked with fstat first. Opening without blocking means a FIFO can never stall the scan.
 */
export function readTextFile(root: string, file: string, regular = false): ReadResult {
  // Plain concatenation: path.resolve on every one of 20,000 files shows up in profiles.
  const absolute = path.isAbsolute(file) ? file : `${root}${path.sep}${file}`;
  let descriptor: number;
  try {
    descriptor = openSync(absolute, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { file, problem: describeReadError(error) };
  }
  try {
    // Stop at the size fstat reported, saving the final zero-length read; files that report no
    // size (procfs and the like) are read until end of file.
    let expected = 0;
    if (!regular) {
      const stats = fstatSync(descriptor);
      if (stats.isDirectory()) return { file, problem: "is a directory" };
      if (!stats.isFile()) return { file, problem: "not a regular file" };
      expected = stats.size;
    }
    let length = 0;
    for (;;) {
      if (expected > 0 && length >= expected) break;
      if (length === readBuffer.length) {
        const larger = Buffer.allocUnsafe(readBuffer.length * 2);
        readBuffer.copy(larger, 0, 0, length);
        readBuffer = larger;
      }
      const wanted = readBuffer.length - length;
      const count = readSync(descriptor, readBuffer, length, wanted, null);
      length += count;
      if (count === 0 || (regular && count < wanted)) break;
    }
    return { file, text: readBuffer.toString("utf8", 0, length) };
  } catch (error) {
    return { file, problem: describeReadError(error) };
  } finally {
    closeSync(descriptor);
  }
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "does not exist (a dangling symlink?)";
    case "ELOOP":
      return "symlink loop";
    case "EISDIR":
      return "is a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
