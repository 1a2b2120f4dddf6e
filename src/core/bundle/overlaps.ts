/**
 * Rule 7: two workstreams overlap when one file (tracked, in a files_create, or named by a literal
 * files_scope entry) is matched by both. Unordered → error, ordered → info; two entries that match
 * no shared file yet but could (see `couldOverlap`) → warning when unordered.
 */
import { type Diagnostic } from "./diagnostics";
import { type ParsedDocument, type DocumentEntry } from "./document";
import { FileIndex, couldOverlap, scopeMatcher } from "./globs";
import { type Ordering } from "./graph";
import { normaliseScopeEntry, unsafeScopeReason } from "./scopePaths";

/** A bundle taking part in the overlap check. */
export interface ScopedEntry {
  document: ParsedDocument;
  entry: DocumentEntry;
  id: string;
}

interface EntryPattern {
  field: "files_scope" | "files_create";
  position: number;
  pattern: string;
}

const patternCache = new WeakMap<DocumentEntry, EntryPattern[]>();

/** Safe, normalised patterns of an entry, with where each came from (computed once per entry). */
function patternsOf(entry: DocumentEntry): EntryPattern[] {
  const known = patternCache.get(entry);
  if (known) return known;
  const patterns: EntryPattern[] = [];
  const add = (field: EntryPattern["field"], list: string[]): void =>
    list.forEach((raw, position) => {
      if (raw === "" || unsafeScopeReason(raw)) return;
      patterns.push({ field, position, pattern: normaliseScopeEntry(raw) });
    });
  add("files_scope", entry.filesScope);
  add("files_create", entry.filesCreate);
  patternCache.set(entry, patterns);
  return patterns;
}

/**
 * Files declared by the bundles themselves: files_create entries, and literal files_scope entries
 * that name a file (no trailing slash, a dot in the last segment), so two bundles claiming the same
 * README.md overlap even before it is tracked.
 */
export function declaredFiles(entry: DocumentEntry): string[] {
  const files = patternsOf(entry)
    .filter((pattern) => pattern.field === "files_create")
    .map((pattern) => pattern.pattern);
  for (const raw of entry.filesScope) {
    if (raw.endsWith("/") || raw.endsWith("\\") || unsafeScopeReason(raw)) continue;
    const pattern = normaliseScopeEntry(raw);
    const last = pattern.slice(pattern.lastIndexOf("/") + 1);
    if (scopeMatcher(pattern).literal && last.includes(".")) files.push(pattern);
  }
  return files;
}

interface EntryMatches {
  version: number;
  files: Set<string>;
  /** files_scope patterns that match no file yet. */
  unmatched: EntryPattern[];
}

/** Caches that live as long as the workspace: glob results over the tracked files per pattern. */
export class OverlapCache {
  private trackedIndex: FileIndex;
  private readonly trackedMatches = new Map<string, string[]>();
  private readonly entryMatches = new WeakMap<DocumentEntry, EntryMatches>();
  private readonly couldOverlapPairs = new Map<string, boolean>();

  constructor(trackedFiles: Iterable<string>) {
    this.trackedIndex = new FileIndex(trackedFiles);
  }

  setTrackedFiles(files: Iterable<string>): void {
    this.trackedIndex = new FileIndex(files);
    this.trackedMatches.clear();
  }

  matches(pattern: string, declared: FileIndex): string[] {
    let tracked = this.trackedMatches.get(pattern);
    const matcher = scopeMatcher(pattern);
    if (!tracked) {
      tracked = this.trackedIndex.match(matcher);
      this.trackedMatches.set(pattern, tracked);
    }
    const extra = declared.match(matcher);
    return extra.length === 0 ? tracked : [...tracked, ...extra];
  }

  /** Every file an entry's patterns match; reused while the declared files stay the same. */
  entryMatchesOf(entry: DocumentEntry, declared: FileIndex, version: number): EntryMatches {
    const cached = this.entryMatches.get(entry);
    if (cached && cached.version === version) return cached;
    const files = new Set<string>();
    const unmatched: EntryPattern[] = [];
    for (const pattern of patternsOf(entry)) {
      const found = this.matches(pattern.pattern, declared);
      for (const file of found) files.add(file);
      if (found.length === 0 && pattern.field === "files_scope") unmatched.push(pattern);
    }
    const result = { version, files, unmatched };
    this.entryMatches.set(entry, result);
    return result;
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
}

/** Runs rule 7 over the bundles; `declared` holds the declared files, `version` changes with them. */
export function checkOverlaps(
  entries: readonly ScopedEntry[],
  ordering: Ordering,
  cache: OverlapCache,
  declared: FileIndex,
  version: number,
): Diagnostic[] {
  const owners = new Map<string, number[]>();
  const matchesOf = entries.map((scoped) => cache.entryMatchesOf(scoped.entry, declared, version));
  matchesOf.forEach(({ files }, owner) => {
    for (const file of files) {
      const list = owners.get(file);
      if (list) list.push(owner);
      else owners.set(file, [owner]);
    }
  });
  // pair "i,j" → the shared files
  const pairs = new Map<string, string[]>();
  for (const [file, list] of owners) {
    if (list.length < 2) continue;
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = [list[i]!, list[j]!];
        if (entries[a]!.id === entries[b]!.id) continue; // a duplicate id is reported as such
        const key = a < b ? `${a},${b}` : `${b},${a}`;
        const shared = pairs.get(key);
        if (shared) shared.push(file);
        else pairs.set(key, [file]);
      }
  }
  const diagnostics: Diagnostic[] = [];
  for (const [key, shared] of pairs) {
    const [a, b] = key.split(",").map(Number) as [number, number];
    shared.sort();
    const isOrdered = ordering.ordered(entries[a]!.id, entries[b]!.id);
    diagnostics.push(overlapDiagnostic(entries[a]!, entries[b]!, shared, isOrdered));
    diagnostics.push(overlapDiagnostic(entries[b]!, entries[a]!, shared, isOrdered));
  }
  diagnostics.push(...possibleOverlaps(entries, matchesOf, pairs, ordering, cache));
  return diagnostics;
}

function overlapDiagnostic(
  self: ScopedEntry,
  other: ScopedEntry,
  shared: string[],
  isOrdered: boolean,
): Diagnostic {
  const first = shared[0]!;
  const pattern = patternsOf(self.entry).find((candidate) => scopeMatcher(candidate.pattern).test(first));
  const base: (string | number)[] = self.entry.index === null ? [] : [self.entry.index];
  const path = pattern ? [...base, pattern.field, pattern.position] : [...base, "files_scope"];
  const more =
    shared.length > 1 ? ` (and ${shared.length - 1} more file${shared.length > 2 ? "s" : ""})` : "";
  const message = isOrdered
    ? `Shares "${first}"${more} with ${other.id}; they are ordered by depends_on, so they never run at once.`
    : `Overlaps ${other.id} on "${first}"${more}: neither depends on the other, so they could run at the same time. Add a depends_on or split the scope.`;
  return self.document.at(path, "overlap", isOrdered ? "info" : "error", message, { id: self.id });
}

/** Warnings for glob entries that match nothing yet but could later share a file with another bundle. */
function possibleOverlaps(
  entries: readonly ScopedEntry[],
  matchesOf: readonly EntryMatches[],
  pairs: ReadonlyMap<string, string[]>,
  ordering: Ordering,
  cache: OverlapCache,
): Diagnostic[] {
  const empty: { owner: number; pattern: EntryPattern }[] = [];
  matchesOf.forEach(({ unmatched }, owner) => {
    for (const pattern of unmatched) empty.push({ owner, pattern });
  });
  if (empty.length === 0) return [];
  // Bucket every pattern by its first segment; a pattern whose first segment is a glob goes everywhere.
  const buckets = new Map<string, { owner: number; pattern: EntryPattern }[]>();
  const wild: { owner: number; pattern: EntryPattern }[] = [];
  entries.forEach((scoped, owner) => {
    for (const pattern of patternsOf(scoped.entry)) {
      const head = pattern.pattern.split("/")[0]!;
      if (/[*?[\]{}()!+@]/.test(head)) wild.push({ owner, pattern });
      else (buckets.get(head) ?? buckets.set(head, []).get(head)!).push({ owner, pattern });
    }
  });
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const candidate of empty) {
    const head = candidate.pattern.pattern.split("/")[0]!;
    const others = /[*?[\]{}()!+@]/.test(head)
      ? [...wild, ...[...buckets.values()].flat()]
      : [...(buckets.get(head) ?? []), ...wild];
    for (const other of others) {
      const [a, b] = [candidate.owner, other.owner];
      if (a === b || entries[a]!.id === entries[b]!.id) continue;
      const pairKey = a < b ? `${a},${b}` : `${b},${a}`;
      if (pairs.has(pairKey) || reported.has(`${pairKey}|${candidate.pattern.pattern}`)) continue;
      if (ordering.ordered(entries[a]!.id, entries[b]!.id)) continue;
      if (!cache.couldOverlap(candidate.pattern.pattern, other.pattern.pattern)) continue;
      reported.add(`${pairKey}|${candidate.pattern.pattern}`);
      const self = entries[a]!;
      const base: (string | number)[] = self.entry.index === null ? [] : [self.entry.index];
      diagnostics.push(
        self.document.at(
          [...base, "files_scope", candidate.pattern.position],
          "overlap",
          "warning",
          `"${candidate.pattern.pattern}" matches no file yet but could overlap "${other.pattern.pattern}" of ${entries[b]!.id}, and neither depends on the other.`,
          { id: self.id },
        ),
      );
    }
  }
  return diagnostics;
}
