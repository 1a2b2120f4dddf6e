/**
 * Scope entries as matchers, and the "could these two patterns ever match the same file?" test.
 *
 * A literal entry (no glob characters) matches itself and everything below it, so `aim/`, `aim`
 * and `README.md` all work. A glob is compiled once by picomatch (`dot: true`) and only tried on
 * the files under its static base, found by binary search in a sorted file list.
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

/** The matcher for a normalised entry; compiled once per distinct entry and reused. */
export function scopeMatcher(entry: string): ScopeMatcher {
  const known = matchers.get(entry);
  if (known) return known;
  const scan = picomatch.scan(entry);
  let matcher: ScopeMatcher;
  if (!scan.isGlob) {
    const below = entry + "/";
    matcher = { entry, literal: true, base: entry, test: (file) => file === entry || file.startsWith(below) };
  } else {
    const regex = picomatch.makeRe(entry, { dot: true });
    matcher = {
      entry,
      literal: false,
      base: scan.base.replace(/\/+$/, ""),
      test: (file) => regex.test(file),
    };
  }
  matchers.set(entry, matcher);
  return matcher;
}

/** A sorted, de-duplicated list of repository paths with prefix look-ups. */
export class FileIndex {
  readonly files: readonly string[];
  private readonly present: ReadonlySet<string>;

  constructor(files: Iterable<string>) {
    this.present = new Set(files);
    this.files = [...this.present].sort();
  }

  has(file: string): boolean {
    return this.present.has(file);
  }

  /** Files that `matcher` matches. */
  match(matcher: ScopeMatcher): string[] {
    const found: string[] = [];
    if (matcher.literal && this.present.has(matcher.entry)) found.push(matcher.entry);
    const prefix = matcher.base === "" ? "" : matcher.base + "/";
    for (let at = lowerBound(this.files, prefix); at < this.files.length; at++) {
      const file = this.files[at]!;
      if (!file.startsWith(prefix)) break;
      if (matcher.literal || matcher.test(file)) found.push(file);
    }
    return found;
  }
}

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

const globCharacters = /[*?[\]{}()!+@]/;

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
    else result = segmentsCompatible(first[i]!, second[j]!) && walk(i + 1, j + 1);
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
    while (at > 0 && !globCharacters.test(segment[at - 1]!)) at--;
    return segment.slice(at);
  };
  const [pa, pb, sa, sb] = [prefix(a), prefix(b), suffix(a), suffix(b)];
  return (pa.startsWith(pb) || pb.startsWith(pa)) && (sa.endsWith(sb) || sb.endsWith(sa));
}
