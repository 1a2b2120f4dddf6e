/**
 * Rule 7: two workstreams overlap when one file (tracked, in a files_create, or named by a literal
 * files_scope entry) is matched by both. Unordered → error, ordered → info; two entries that match
 * no shared file yet but could (see `couldOverlap`) → warning when unordered.
 */
import { type Finding } from "./findings";
import { declaresFile, patternsIn, type DocumentEntry, type ScopeField } from "./document";
import { couldOverlap, scopeMatcher } from "./globs";
import { PathIndex, type PathSink } from "./pathIndex";
import { type Ordering } from "./graph";

/** A bundle taking part in the cross-file checks: an entry with an id. */
export type ScopedEntry = DocumentEntry & { readonly id: string };

/** One usable scope entry of a bundle, with where it came from. */
interface EntryPattern {
  field: ScopeField;
  position: number;
  pattern: string;
}

/** Every usable scope entry of a bundle, files_scope first (for the rarer checks; see sharedFiles). */
function patternsOf(entry: DocumentEntry): EntryPattern[] {
  const patterns: EntryPattern[] = [];
  for (const field of scopeFields) {
    const list = patternsIn(entry, field);
    list.forEach((pattern, position) => {
      if (pattern !== null) patterns.push({ field, position, pattern });
    });
  }
  return patterns;
}

const scopeFields = ["files_scope", "files_create"] as const;

/** Files two bundles (indexes into the entries, a < b) both match: the first in sort order, and how many. */
export interface SharedPair {
  a: number;
  b: number;
  first: string;
  count: number;
}

/** What the files-dependent half of rule 7 found. */
export interface SharedFiles {
  /** Keyed by `a * entries.length + b`. */
  pairs: Map<number, SharedPair>;
  /** Per entry, its files_scope patterns that match no file yet. */
  unmatched: (readonly EntryPattern[])[];
}

/**
 * The overlap universe (tracked files plus every bundle's declared files) and what each pattern
 * matches in it. Lives as long as the workspace: a pattern's matches are kept until a file appears
 * or disappears below its base, so an edit re-matches only the patterns it could affect.
 */
export class OverlapCache {
  private universe: PathIndex;
  /** Declared files and how many bundles declare each. */
  private readonly declared = new Map<string, number>();
  private readonly matched = new Map<string, number[]>();
  /**
   * Cached patterns by the directory (or file) below which a change affects them. Built on the
   * first change that needs it: a one-off validation never changes the universe after matching.
   */
  private byBase: Map<string, string[]> | undefined;
  private readonly couldOverlapPairs = new Map<string, boolean>();

  /** False for a one-off validation: nothing is then kept for a later edit. */
  private readonly incremental: boolean;

  constructor(trackedFiles: Iterable<string>, { incremental = true }: { incremental?: boolean } = {}) {
    this.universe = new PathIndex(trackedFiles);
    this.incremental = incremental;
  }

  pathOf(fileId: number): string {
    return this.universe.pathOf(fileId);
  }

  /** One more than the largest file id in the universe (see PathIndex). */
  get fileIdLimit(): number {
    return this.universe.idLimit;
  }

  setTrackedFiles(files: Iterable<string>): void {
    // The declared counts that the rebuild needs are only kept by an incremental cache.
    if (!this.incremental) throw new Error("A one-off overlap check cannot take new tracked files.");
    this.universe = new PathIndex(files);
    for (const [file, count] of this.declared) for (let n = 0; n < count; n++) this.universe.add(file);
    this.matched.clear();
    this.byBase = undefined;
  }

  /** Adds (+1) or removes (-1) the files a bundle declares (see declaresFile); true when the universe changed. */
  declare(entry: DocumentEntry, change: 1 | -1): boolean {
    let changed = false;
    for (const field of scopeFields) {
      const list = patternsIn(entry, field);
      for (let position = 0; position < list.length; position++)
        if (declaresFile(entry, field, position) && this.declareFile(list[position]!, change)) changed = true;
    }
    return changed;
  }

  private declareFile(file: string, change: 1 | -1): boolean {
    const flipped = change === 1 ? this.universe.add(file) : this.universe.remove(file);
    if (this.incremental) {
      const count = (this.declared.get(file) ?? 0) + change;
      if (count > 0) this.declared.set(file, count);
      else this.declared.delete(file);
    }
    if (flipped && this.matched.size > 0) this.forget(file);
    return flipped;
  }

  /** Hands `sink` every file `pattern` matches now; returns how many. */
  visitMatches(pattern: string, sink: PathSink): number {
    // A one-off check walks the index straight into the sink: no list that nobody reads again.
    if (!this.incremental) return this.universe.visitEntry(pattern, sink);
    let found = this.matched.get(pattern);
    if (found === undefined) {
      found = this.universe.matchEntry(pattern);
      this.matched.set(pattern, found);
      if (this.byBase) this.indexByBase(pattern);
    }
    for (const file of found) sink.push(file);
    return found.length;
  }

  couldOverlap(a: string, b: string): boolean {
    const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
    let known = this.couldOverlapPairs.get(key);
    if (known === undefined) {
      known = couldOverlap(a, b);
      this.couldOverlapPairs.set(key, known);
    }
    return known;
  }

  private indexByBase(pattern: string): void {
    const { base } = scopeMatcher(pattern);
    const list = this.byBase!.get(base);
    if (list) list.push(pattern);
    else this.byBase!.set(base, [pattern]);
  }

  /** Drops the cached matches of every pattern whose base is `file` or one of its directories. */
  private forget(file: string): void {
    if (this.byBase === undefined) {
      this.byBase = new Map();
      for (const pattern of this.matched.keys()) this.indexByBase(pattern);
    }
    for (let base = file; ;) {
      const patterns = this.byBase.get(base);
      if (patterns) {
        for (const pattern of patterns) this.matched.delete(pattern);
        this.byBase.delete(base);
      }
      if (base === "") return;
      const slash = base.lastIndexOf("/");
      base = slash < 0 ? "" : base.slice(0, slash);
    }
  }
}

/**
 * The files-dependent half of rule 7: which bundles share which files. Each file is visited once
 * per pattern matching it; bundles sharing a file are grouped by their exact set of owners, so a
 * directory claimed by many bundles costs one pass over its files plus one pass over the pairs.
 */
export function sharedFiles(entries: readonly ScopedEntry[], cache: OverlapCache): SharedFiles {
  const tally = new OwnerTally(cache.fileIdLimit);
  const unmatched: (readonly EntryPattern[])[] = [];
  for (let owner = 0; owner < entries.length; owner++) {
    tally.owner = owner;
    const entry = entries[owner];
    let empty: EntryPattern[] | undefined;
    const { scopePatterns, createPatterns } = entry;
    for (let position = 0; position < scopePatterns.length; position++) {
      const pattern = scopePatterns[position];
      if (pattern !== null && cache.visitMatches(pattern, tally) === 0)
        (empty ??= []).push({ field: "files_scope", position, pattern });
    }
    for (const pattern of createPatterns) if (pattern !== null) cache.visitMatches(pattern, tally);
    unmatched.push(empty ?? noPatterns);
  }
  const { owners } = tally;
  const groups = new Map<string, { owners: number[]; first: string; count: number }>();
  for (const [fileId, list] of owners) {
    const file = cache.pathOf(fileId);
    const key = list.length === 2 ? `${list[0]},${list[1]}` : list.join(",");
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { owners: list, first: file, count: 1 });
    else {
      group.count++;
      if (file < group.first) group.first = file;
    }
  }
  const pairs = new Map<number, SharedPair>();
  const size = entries.length;
  for (const group of groups.values()) {
    const list = group.owners;
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = [list[i], list[j]];
        if (entries[a].id === entries[b].id) continue; // a duplicate id is reported as such
        const key = a * size + b;
        const pair = pairs.get(key);
        if (pair === undefined) pairs.set(key, { a, b, first: group.first, count: group.count });
        else {
          pair.count += group.count;
          if (group.first < pair.first) pair.first = group.first;
        }
      }
  }
  return { pairs, unmatched };
}

const noPatterns: readonly EntryPattern[] = [];

/** Who matches each file: the first owner of every file, and all owners of the shared ones. */
class OwnerTally implements PathSink {
  /** The entry whose patterns are being matched now. */
  owner = 0;
  /** By file id: the first entry matching the file (-1: none yet). An array, as every file is visited. */
  private readonly firstOwner: Int32Array;
  /** Only files with two owners or more. */
  readonly owners = new Map<number, number[]>();

  constructor(fileIdLimit: number) {
    this.firstOwner = new Int32Array(fileIdLimit).fill(-1);
  }

  push(file: number): void {
    const { owner } = this;
    const first = this.firstOwner[file];
    if (first === -1) this.firstOwner[file] = owner;
    else if (first !== owner) {
      const list = this.owners.get(file);
      if (list === undefined) this.owners.set(file, [first, owner]);
      // Owners come in order, so a file matched by two patterns of one entry repeats the last.
      else if (list[list.length - 1] !== owner) list.push(owner);
    }
  }
}

/** The ordering-dependent half of rule 7: error, info or warning for each pair. */
export function overlapFindings(
  entries: readonly ScopedEntry[],
  shared: SharedFiles,
  ordering: Ordering,
  cache: OverlapCache,
): Finding[] {
  const findings: Finding[] = [];
  let pairsLeft = MAX_OVERLAP_PAIRS;
  for (const { a, b, first, count } of shared.pairs.values()) {
    if (pairsLeft-- === 0) {
      findings.push(stopped(entries[a], `after ${MAX_OVERLAP_PAIRS} overlapping pairs`));
      break;
    }
    const isOrdered = ordering.ordered(entries[a].id, entries[b].id);
    findings.push(overlapFinding(entries[a], entries[b], first, count, isOrdered));
    findings.push(overlapFinding(entries[b], entries[a], first, count, isOrdered));
  }
  // One at a time: a spread of a hundred thousand findings overflows the stack.
  for (const finding of possibleOverlaps(entries, shared, ordering, cache)) findings.push(finding);
  return findings;
}

/**
 * Bounds on the overlap check, far above any real workspace (2,000 bundles make 200 findings):
 * scopes written to explode (hundreds of bundles of `**` globs) would otherwise take minutes and
 * print a hundred thousand lines. Past a bound the check says where it stopped.
 */
export const MAX_OVERLAP_PAIRS = 5_000;
export const MAX_POSSIBLE_OVERLAP_WARNINGS = 1_000;
export const MAX_GLOB_COMPARISONS = 2_000_000;

/** The warning that a bound was reached, on the bundle where the check stopped. */
function stopped(entry: ScopedEntry, after: string): Finding {
  return {
    uri: entry.uri,
    index: entry.index,
    path: ["files_scope"],
    type: "overlap",
    severity: "warning",
    id: entry.id,
    message: `The overlap check stopped ${after}; the findings before it stand, and further overlaps are not reported. Narrow the scopes (fewer "**" globs) to check them all.`,
  };
}

function overlapFinding(
  self: ScopedEntry,
  other: ScopedEntry,
  first: string,
  count: number,
  isOrdered: boolean,
): Finding {
  const more = count > 1 ? ` (and ${count - 1} more file${count > 2 ? "s" : ""})` : "";
  return {
    uri: self.uri,
    index: self.index,
    path: entryMatching(self, first),
    type: "overlap",
    severity: isOrdered ? "info" : "error",
    id: self.id,
    message: isOrdered
      ? `Shares "${first}"${more} with ${other.id}; they are ordered by depends_on, so they never run at once.`
      : `Overlaps ${other.id} on "${first}"${more}: neither depends on the other, so they could run at the same time. Add a depends_on or split the scope.`,
  };
}

/** Where in the bundle the first entry matching `file` is. */
function entryMatching(entry: DocumentEntry, file: string): (string | number)[] {
  for (const field of scopeFields) {
    const list = patternsIn(entry, field);
    for (let position = 0; position < list.length; position++) {
      const pattern = list[position];
      if (pattern !== null && scopeMatcher(pattern).test(file)) return [field, position];
    }
  }
  return ["files_scope"];
}

/** Warnings for glob entries that match nothing yet but could later share a file with another bundle. */
function possibleOverlaps(
  entries: readonly ScopedEntry[],
  { pairs, unmatched }: SharedFiles,
  ordering: Ordering,
  cache: OverlapCache,
): Finding[] {
  const empty: { owner: number; pattern: EntryPattern }[] = [];
  unmatched.forEach((patterns, owner) => {
    for (const pattern of patterns) empty.push({ owner, pattern });
  });
  if (empty.length === 0) return [];
  // Bucket every pattern by its first segment; a pattern whose first segment is a glob goes everywhere.
  const buckets = new Map<string, { owner: number; pattern: EntryPattern }[]>();
  const wild: { owner: number; pattern: EntryPattern }[] = [];
  entries.forEach((scoped, owner) => {
    for (const pattern of patternsOf(scoped)) {
      const head = pattern.pattern.split("/")[0];
      if (/[*?[\]{}()!+@]/.test(head)) wild.push({ owner, pattern });
      else (buckets.get(head) ?? buckets.set(head, []).get(head)!).push({ owner, pattern });
    }
  });
  const findings: Finding[] = [];
  const reported = new Set<string>();
  let comparisons = 0;
  for (const candidate of empty) {
    const head = candidate.pattern.pattern.split("/")[0];
    const others = /[*?[\]{}()!+@]/.test(head)
      ? [...wild, ...[...buckets.values()].flat()]
      : [...(buckets.get(head) ?? []), ...wild];
    for (const other of others) {
      const [a, b] = [candidate.owner, other.owner];
      if (a === b || entries[a].id === entries[b].id) continue;
      const pairKey = a < b ? a * entries.length + b : b * entries.length + a;
      if (pairs.has(pairKey) || reported.has(`${pairKey}|${candidate.pattern.pattern}`)) continue;
      if (ordering.ordered(entries[a].id, entries[b].id)) continue;
      if (++comparisons > MAX_GLOB_COMPARISONS) {
        findings.push(stopped(entries[a], `after ${MAX_GLOB_COMPARISONS} glob comparisons`));
        return findings;
      }
      if (!cache.couldOverlap(candidate.pattern.pattern, other.pattern.pattern)) continue;
      reported.add(`${pairKey}|${candidate.pattern.pattern}`);
      const self = entries[a];
      findings.push({
        uri: self.uri,
        index: self.index,
        path: ["files_scope", candidate.pattern.position],
        type: "overlap",
        severity: "warning",
        id: self.id,
        message: `"${candidate.pattern.pattern}" matches no file yet but could overlap "${other.pattern.pattern}" of ${entries[b].id}, and neither depends on the other.`,
      });
      if (findings.length === MAX_POSSIBLE_OVERLAP_WARNINGS) {
        findings.push(stopped(self, `after ${MAX_POSSIBLE_OVERLAP_WARNINGS} possible-overlap warnings`));
        return findings;
      }
    }
  }
  return findings;
}
