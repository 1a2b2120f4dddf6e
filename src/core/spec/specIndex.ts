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
  /** The occurrences of each tag in this file, in order. */
  byTag: Map<string, TagOccurrence[]>;
}

interface TagState {
  info: TagInfo;
  diagnostics: SpecDiagnostic[];
}

/** `.md`/`.markdown` docs get Markdown rules; `.txt` docs get the same heading and fence rules. */
const isMarkdownLike = (kind: SpecFileKind): boolean => kind === "doc";

/** Files compare by path in code-unit order, so the index is the same on every machine. */
const comparePaths = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class SpecIndex {
  private readonly files = new Map<string, FileEntry>();
  /** Tag → the files mentioning it. */
  private readonly filesByTag = new Map<string, Set<string>>();
  private readonly resolved = new Map<string, TagState>();

  /** @param classify the kind of a file when `updateFile` is not told; default: every file is a doc. */
  constructor(private readonly classify: SpecFileClassifier = () => "doc") {}

  /**
   * Scans `text` as the new content of `file` (repo-relative, '/'-separated) and updates the index.
   * Returns false (and forgets the file) when the classifier says the file is not indexed.
   */
  updateFile(file: string, text: string, kind: SpecFileKind | undefined = this.classify(file)): boolean {
    this.removeFile(file);
    if (kind === undefined) return false;
    const scan = scanText(file, text, { markdown: isMarkdownLike(kind) });
    const byTag = new Map<string, TagOccurrence[]>();
    for (const occurrence of scan.occurrences) {
      const list = byTag.get(occurrence.idx);
      if (list === undefined) byTag.set(occurrence.idx, [occurrence]);
      else list.push(occurrence);
    }
    this.files.set(file, { kind, scan, byTag });
    for (const idx of byTag.keys()) {
      let holders = this.filesByTag.get(idx);
      if (holders === undefined) {
        holders = new Set();
        this.filesByTag.set(idx, holders);
      }
      holders.add(file);
      this.resolved.delete(idx);
    }
    return true;
  }

  /** Forgets a file (deleted, or no longer matched by the configuration). */
  removeFile(file: string): void {
    const entry = this.files.get(file);
    if (entry === undefined) return;
    this.files.delete(file);
    for (const idx of entry.byTag.keys()) {
      const holders = this.filesByTag.get(idx);
      holders?.delete(file);
      if (holders !== undefined && holders.size === 0) this.filesByTag.delete(idx);
      this.resolved.delete(idx);
    }
  }

  /** The indexed files, sorted. */
  indexedFiles(): string[] {
    return [...this.files.keys()].sort(comparePaths);
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
    return this.resolve(idx)?.info.definition;
  }

  referencesOf(idx: string): TagOccurrence[] {
    return this.resolve(idx)?.info.references ?? [];
  }

  tagInfo(idx: string): TagInfo | undefined {
    return this.resolve(idx)?.info;
  }

  /** The occurrences in one file, in position order. */
  occurrencesIn(file: string): readonly TagOccurrence[] {
    return this.files.get(file)?.scan.occurrences ?? [];
  }

  /** Every doc occurrence, docs in path order and each in position order: what `wsp spec index` lists. */
  docOccurrences(): TagOccurrence[] {
    return this.indexedFiles()
      .filter((file) => this.files.get(file)?.kind === "doc")
      .flatMap((file) => this.occurrencesIn(file));
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
    for (const idx of entry.byTag.keys()) {
      for (const diagnostic of this.resolve(idx)?.diagnostics ?? []) {
        if (diagnostic.file === file) own.push(diagnostic);
      }
    }
    return own.sort(byPosition);
  }

  /** All diagnostics, files in path order and each in position order. */
  diagnostics(): SpecDiagnostic[] {
    return this.indexedFiles().flatMap((file) => this.diagnosticsFor(file));
  }

  private resolve(idx: string): TagState | undefined {
    const cached = this.resolved.get(idx);
    if (cached !== undefined) return cached;
    const holders = this.filesByTag.get(idx);
    if (holders === undefined) return undefined;
    const all: TagOccurrence[] = [];
    const docs: TagOccurrence[] = [];
    for (const file of [...holders].sort(comparePaths)) {
      const entry = this.files.get(file)!;
      const list = entry.byTag.get(idx) ?? [];
      all.push(...list);
      if (entry.kind === "doc") docs.push(...list);
    }
    const headings = docs.filter((occurrence) => occurrence.inHeading);
    const definition = headings[0] ?? docs[0];
    const diagnostics: SpecDiagnostic[] = [];
    for (const duplicate of headings.slice(1)) {
      diagnostics.push({
        ...positionOf(duplicate),
        idx,
        code: "duplicate-definition",
        severity: "error",
        message: `[${idx}] is defined twice: this heading and ${definition.file}:${definition.line}.`,
      });
    }
    if (definition === undefined) {
      for (const reference of all) {
        diagnostics.push({
          ...positionOf(reference),
          idx,
          code: "undefined-tag",
          severity: "error",
          message: `[${idx}] is not defined in any spec document.`,
        });
      }
    }
    const state: TagState = {
      info: { idx, definition, references: all.filter((occurrence) => occurrence !== definition) },
      diagnostics,
    };
    this.resolved.set(idx, state);
    return state;
  }
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
