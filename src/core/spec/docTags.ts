/**
 * A one-pass scan of docs for `wsp spec index`: the same occurrences and doc diagnostics a SpecIndex
 * gives for docs alone, without keeping per-tag state. Docs must arrive in path order, which is the
 * order definitions are decided in.
 */
import { scanText } from "./scanner";
import { type SpecDiagnostic, type TagOccurrence } from "./types";

export interface DocTags {
  occurrences: TagOccurrence[];
  diagnostics: SpecDiagnostic[];
}

export interface DocTagCollectorOptions {
  /**
   * Keep every occurrence for `result()` (the default). A caller that consumes each file's
   * occurrences as `add` returns them turns this off, so a large tree is never held in memory.
   */
  keepOccurrences?: boolean;
}

export class DocTagCollector {
  private readonly occurrences: TagOccurrence[] = [];
  private readonly diagnostics: SpecDiagnostic[] = [];
  /** Where each tag's first heading occurrence so far is: its definition. */
  private readonly headingDefinitions = new Map<string, { file: string; line: number }>();
  private lastFile = "";
  private readonly keepOccurrences: boolean;

  constructor(options: DocTagCollectorOptions = {}) {
    this.keepOccurrences = options.keepOccurrences ?? true;
  }

  /** Adds the next doc and returns its occurrences; files must come in increasing path order. */
  add(file: string, text: string): readonly TagOccurrence[] {
    if (file <= this.lastFile)
      throw new RangeError(`docs must be added in path order: ${file} after ${this.lastFile}`);
    this.lastFile = file;
    const scan = scanText(file, text, { markdown: true });
    let fileDiagnostics: SpecDiagnostic[] | undefined =
      scan.diagnostics.length > 0 ? [...scan.diagnostics] : undefined;
    for (const occurrence of scan.occurrences) {
      if (this.keepOccurrences) this.occurrences.push(occurrence);
      if (!occurrence.inHeading) continue;
      const definition = this.headingDefinitions.get(occurrence.idx);
      if (definition === undefined) {
        this.headingDefinitions.set(occurrence.idx, { file, line: occurrence.line });
        continue;
      }
      const { idx, line, column, offset, length } = occurrence;
      (fileDiagnostics ??= []).push({
        file,
        line,
        column,
        offset,
        length,
        idx,
        code: "duplicate-definition",
        severity: "error",
        message: `[${idx}] is defined twice: this heading and ${definition.file}:${definition.line}.`,
      });
    }
    if (fileDiagnostics !== undefined) {
      for (const diagnostic of fileDiagnostics.sort((a, b) => a.offset - b.offset))
        this.diagnostics.push(diagnostic);
    }
    return scan.occurrences;
  }

  /** Everything added so far (occurrences only when they are kept). */
  result(): DocTags {
    return { occurrences: this.occurrences, diagnostics: this.diagnostics };
  }
}
