/**
 * The incremental IDX tag index. Files come in one at a time (`updateFile`), each scanned on its
 * own; definitions, references and cross-file diagnostics are derived per tag on demand and cached
 * until a file that mentions the tag changes. The VS Code extension calls `updateFile` on every edit,
 * so an update costs one file's scan plus work proportional to the tags it mentions.
 */
import { scanText, type FileScan } from "./scanner";
import { type SpecDiagnostic, type SpecFileKind, type TagOccurrence } from "./types";

/** Decides a file's kind from its repository-relative path; undefined means "not part of the index". */
export type SpecFileClassifier = (file: string) => SpecFileKind | undefined;

/** The resolved state of one tag. */
export interface TagInfo {
  idx: string;
  /** Undefined when no doc mentions the tag. */
  definition: TagOccurrence | undefined;
  /** Every other occurrence, in file order then position. */
  references: TagOccurrence[];
}

interface FileEntry {
  kind: SpecFileKind;
  scan: FileScan;
  /** The distinct tags in this file, in first-occurrence order. */
  tags: string[];
}

const NO_DIAGNOSTICS: readonly SpecDiagnostic[] = Object.freeze([]);

/** `.md`/`.markdown` docs get Markdown rules; `.txt` docs get the same heading and fence rules. */
const isMarkdownLike = (kind: SpecFileKind): boolean => kind === "doc";

/** Files compare by path in code-unit order, so the index is the same on every machine. */
const comparePaths = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class SpecIndex {
  private readonly files = new Map<string, FileEntry>();
  /** Tag → the files mentioning it (usually one or a few, so an array beats a Set). */
  private readonly filesByTag = new Map<string, string[]>();
  /** Caches per tag, dropped whenever a file mentioning the tag changes. */
  private readonly resolvedInfo = new Map<string, TagInfo>();
  private readonly resolvedDiagnostics = new Map<string, readonly SpecDiagnostic[]>();
  private sortedFiles: string[] | undefined;

  /** @param classify the kind of a file when `updateFile` is not told; default: every file is a doc. */
  constructor(private readonly classify: SpecFileClassifier = () => "doc") {}

  /**
   * Scans `text` as the new content of `file` (repo-relative, '/'-separated) and updates the index.
   * Returns false (and forgets the file) when the classifier says the file is not indexed.
   */
  updateFile(file: string, text: string, kind: SpecFileKind | undefined = this.classify(file)): boolean {
    const known = this.files.has(file);
    this.removeFile(file);
    if (kind === undefined) return false;
    const scan = scanText(file, text, { markdown: isMarkdownLike(kind) });
    const tags = distinctTags(scan.occurrences);
    this.files.set(file, { kind, scan, tags });
    if (!known) this.sortedFiles = undefined;
    for (const idx of tags) {
      const holders = this.filesByTag.get(idx);
      if (holders === undefined) this.filesByTag.set(idx, [file]);
      else holders.push(file);
      this.forget(idx);
    }
    return true;
  }

  /** Forgets a file (deleted, or no longer matched by the configuration). */
  removeFile(file: string): void {
    const entry = this.files.get(file);
    if (entry === undefined) return;
    this.files.delete(file);
    this.sortedFiles = undefined;
    for (const idx of entry.tags) {
      const holders = this.filesByTag.get(idx);
      if (holders !== undefined) {
        const position = holders.indexOf(file);
        if (position !== -1) holders.splice(position, 1);
        if (holders.length === 0) this.filesByTag.delete(idx);
      }
      this.forget(idx);
    }
  }

  private forget(idx: string): void {
    this.resolvedInfo.delete(idx);
    this.resolvedDiagnostics.delete(idx);
  }

  /** The indexed files, sorted. */
  indexedFiles(): readonly string[] {
    this.sortedFiles ??= [...this.files.keys()].sort(comparePaths);
    return this.sortedFiles;
  }

  kindOf(file: string): SpecFileKind | undefined {
    return this.files.get(file)?.kind;
  }

  /** Every tag mentioned anywhere, sorted. */
  allTags(): string[] {
    return [...this.filesByTag.keys()].sort(comparePaths);
  }

  /** The tags some doc mentions (so they have a definition), sorted. */
  definedTags(): string[] {
    return this.allTags().filter((idx) => this.definitionOf(idx) !== undefined);
  }

  definitionOf(idx: string): TagOccurrence | undefined {
    return this.tagInfo(idx)?.definition;
  }

  referencesOf(idx: string): TagOccurrence[] {
    return this.tagInfo(idx)?.references ?? [];
  }

  tagInfo(idx: string): TagInfo | undefined {
    const cached = this.resolvedInfo.get(idx);
    if (cached !== undefined) return cached;
    const holders = this.filesByTag.get(idx);
    if (holders === undefined) return undefined;
    const all: TagOccurrence[] = [];
    const docs: TagOccurrence[] = [];
    for (const file of holders.length === 1 ? holders : [...holders].sort(comparePaths)) {
      const entry = this.files.get(file)!;
      for (const occurrence of entry.scan.occurrences) {
        if (occurrence.idx !== idx) continue;
        all.push(occurrence);
        if (entry.kind === "doc") docs.push(occurrence);
      }
    }
    const definition = docs.find((occurrence) => occurrence.inHeading) ?? docs[0];
    const info: TagInfo = {
      idx,
      definition,
      references: all.filter((occurrence) => occurrence !== definition),
    };
    this.resolvedInfo.set(idx, info);
    return info;
  }

  /** The occurrences in one file, in position order. */
  occurrencesIn(file: string): readonly TagOccurrence[] {
    return this.files.get(file)?.scan.occurrences ?? [];
  }

  /** Every doc occurrence, docs in path order and each in position order: what `wsp spec index` lists. */
  docOccurrences(): TagOccurrence[] {
    const result: TagOccurrence[] = [];
    for (const file of this.indexedFiles()) {
      const entry = this.files.get(file)!;
      if (entry.kind === "doc") for (const occurrence of entry.scan.occurrences) result.push(occurrence);
    }
    return result;
  }

  /**
   * The tag occurrence covering a 1-based (line, column) position in a file, brackets included;
   * a binary search over the file's occurrences, so hover and go-to-definition stay cheap.
   */
  tagAt(file: string, line: number, column: number): TagOccurrence | undefined {
    const list = this.occurrencesIn(file);
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const candidate = list[middle];
      if (
        candidate.line < line ||
        (candidate.line === line && candidate.column + candidate.length <= column)
      ) {
        low = middle + 1;
      } else if (candidate.line > line || candidate.column > column) {
        high = middle - 1;
      } else {
        return candidate;
      }
    }
    return undefined;
  }

  /** Diagnostics of one file: its own malformed tags plus the cross-file ones positioned in it. */
  diagnosticsFor(file: string): SpecDiagnostic[] {
    const entry = this.files.get(file);
    if (entry === undefined) return [];
    const own = [...entry.scan.diagnostics];
    for (const idx of entry.tags) {
      for (const diagnostic of this.tagDiagnostics(idx)) if (diagnostic.file === file) own.push(diagnostic);
    }
    return own.sort(byPosition);
  }

  /** All diagnostics, files in path order and each in position order. */
  diagnostics(): SpecDiagnostic[] {
    const byFile = new Map<string, SpecDiagnostic[]>();
    const add = (diagnostic: SpecDiagnostic): void => {
      const list = byFile.get(diagnostic.file);
      if (list === undefined) byFile.set(diagnostic.file, [diagnostic]);
      else list.push(diagnostic);
    };
    for (const entry of this.files.values()) for (const diagnostic of entry.scan.diagnostics) add(diagnostic);
    for (const idx of this.filesByTag.keys())
      for (const diagnostic of this.tagDiagnostics(idx)) add(diagnostic);
    const result: SpecDiagnostic[] = [];
    for (const file of [...byFile.keys()].sort(comparePaths))
      result.push(...byFile.get(file)!.sort(byPosition));
    return result;
  }

  /**
   * The cross-file diagnostics of one tag: a second heading defining it, or every mention of a tag
   * no doc mentions. Computed without building the reference list, since most tags have none.
   */
  private tagDiagnostics(idx: string): readonly SpecDiagnostic[] {
    const cached = this.resolvedDiagnostics.get(idx);
    if (cached !== undefined) return cached;
    const holders = this.filesByTag.get(idx) ?? [];
    const ordered = holders.length === 1 ? holders : [...holders].sort(comparePaths);
    let definition: TagOccurrence | undefined;
    let inDocs = false;
    let diagnostics: SpecDiagnostic[] | undefined;
    for (const file of ordered) {
      const entry = this.files.get(file)!;
      if (entry.kind !== "doc") continue;
      inDocs = true;
      for (const occurrence of entry.scan.occurrences) {
        if (occurrence.idx !== idx || !occurrence.inHeading) continue;
        if (definition === undefined) {
          definition = occurrence;
          continue;
        }
        (diagnostics ??= []).push({
          ...positionOf(occurrence),
          idx,
          code: "duplicate-definition",
          severity: "error",
          message: `[${idx}] is defined twice: this heading and ${definition.file}:${definition.line}.`,
        });
      }
    }
    if (!inDocs) {
      diagnostics = [];
      for (const file of ordered) {
        for (const occurrence of this.files.get(file)!.scan.occurrences) {
          if (occurrence.idx !== idx) continue;
          diagnostics.push({
            ...positionOf(occurrence),
            idx,
            code: "undefined-tag",
            severity: "error",
            message: `[${idx}] is not defined in any spec document.`,
          });
        }
      }
    }
    const result = diagnostics ?? NO_DIAGNOSTICS;
    this.resolvedDiagnostics.set(idx, result);
    return result;
  }
}

/** The distinct tags of a file's occurrences, in first-occurrence order. */
function distinctTags(occurrences: readonly TagOccurrence[]): string[] {
  if (occurrences.length <= 16) {
    const tags: string[] = [];
    for (const { idx } of occurrences) if (!tags.includes(idx)) tags.push(idx);
    return tags;
  }
  return [...new Set(occurrences.map((occurrence) => occurrence.idx))];
}

function positionOf(
  occurrence: TagOccurrence,
): Pick<SpecDiagnostic, "file" | "line" | "column" | "offset" | "length"> {
  const { file, line, column, offset, length } = occurrence;
  return { file, line, column, offset, length };
}

function byPosition(a: SpecDiagnostic, b: SpecDiagnostic): number {
  return a.offset - b.offset;
}
