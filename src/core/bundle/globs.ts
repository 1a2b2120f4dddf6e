/**
 * Scope entries as matchers, and the "could these two patterns ever match the same file?" test.
 *
 * A literal entry (no glob characters) matches itself and everything below it, so `aim/`, `aim`
 * and `README.md` all work. A glob is compiled once by picomatch (`dot: true`) and only tried on
 * the files under its static base, found through a directory index (see PathIndex).
 */
import picomatch from "picomatch";

export interface ScopeMatcher {
  entry: string;
  /** Directory prefix every match lies under ("" for the repository root). */
  base: string;
  /** True when only files directly in the base can match (`src/*.ts`): no walk below it. */
  directOnly: boolean;
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
  const scan = globCharacters.test(entry) ? scanEntry(entry) : undefined;
  let matcher: ScopeMatcher;
  if (!scan?.isGlob) {
    const below = entry + "/";
    matcher = {
      entry,
      base: entry,
      directOnly: false,
      test: (file) => file === entry || file.startsWith(below),
    };
  } else {
    const base = scan.base.replace(/\/+$/, "");
    let whole: RegExp | undefined; // compiled on first use: many entries are only ever classified
    const wholeTest = (file: string): boolean => (whole ??= compileGlob(entry)).test(file);
    const prefix = base === "" ? "" : base + "/";
    // The entry is exactly its base, a slash and its glob, with no negation: what follows relies on it.
    const plainSplit = scan.prefix === "" && !scan.negated && prefix + scan.glob === entry;
    // The files below the base are the ones a walk tests: matched by the part after the base, so
    // entries like src/a/*.ts and src/b/*.ts share one compiled `*.ts`.
    const splits = plainSplit && base !== "" && !base.includes("\\");
    let rest: RegExp | undefined;
    const restTest = (file: string): boolean =>
      file.startsWith(prefix)
        ? (rest ??= compileGlob(scan.glob)).test(file.slice(prefix.length))
        : wholeTest(file);
    // One segment with no globstar cannot reach below the base (a negation could match anything).
    const oneSegment = !scan.glob.includes("/") && !scan.glob.includes("**");
    matcher = { entry, base, directOnly: plainSplit && oneSegment, test: splits ? restTest : wholeTest };
  }
  if (matchers.size >= matcherCacheLimit) matchers.clear();
  matchers.set(entry, matcher);
  return matcher;
}

/** What scopeMatcher reads of picomatch's scan. */
export interface EntryScan {
  isGlob: boolean;
  negated: boolean;
  prefix: string;
  base: string;
  glob: string;
}

/**
 * picomatch's scan, with a shortcut for a plain glob (see plainGlob) that starts with neither a dot
 * nor a slash: its base is everything before the segment of its first star or question mark. Most globs
 * are like that, and a scan costs microseconds on a cold start, once per distinct entry.
 */
export function scanEntry(entry: string): EntryScan {
  const first = entry.charCodeAt(0);
  if (first === 0x2e || first === 0x2f || !plainGlob.test(entry)) {
    const { isGlob, negated, prefix, base, glob } = picomatch.scan(entry);
    return { isGlob, negated, prefix, base, glob };
  }
  const firstGlob = entry.search(/[*?]/);
  const slash = entry.lastIndexOf("/", firstGlob);
  return {
    isGlob: true,
    negated: false,
    prefix: "",
    base: slash < 0 ? "" : entry.slice(0, slash),
    glob: entry.slice(slash + 1),
  };
}

/** Compiled globs by their text, shared by every entry that ends in the same glob. */
const compiledGlobs = new Map<string, RegExp>();

function compileGlob(glob: string): RegExp {
  let compiled = compiledGlobs.get(glob);
  if (compiled === undefined) {
    if (compiledGlobs.size >= matcherCacheLimit) compiledGlobs.clear();
    compiledGlobs.set(glob, (compiled = picomatch.makeRe(glob, { dot: true })));
  }
  return compiled;
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
