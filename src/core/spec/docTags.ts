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

export class DocTagCollector {
  private readonly occurrences: TagOccurrence[] = [];
  private readonly diagnostics: SpecDiagnostic[] = [];
  /** The first heading occurrence of each tag so far: its definition. */
  private readonly headingDefinitions = new Map<string, TagOccurrence>();
  private lastFile = "";

  /** Adds the next doc; files must come in increasing path order. */
  add(file: string, text: string): void {
    if (file <= this.lastFile)
      throw new RangeError(`docs must be added in path order: ${file} after ${this.lastFile}`);
    this.lastFile = file;
    const scan = scanText(file, text, { markdown: true });
    let fileDiagnostics: SpecDiagnostic[] | undefined =
      scan.diagnostics.length > 0 ? [...scan.diagnostics] : undefined;
    for (const occurrence of scan.occurrences) {
      this.occurrences.push(occurrence);
      if (!occurrence.inHeading) continue;
      const definition = this.headingDefinitions.get(occurrence.idx);
      if (definition === undefined) {
        this.headingDefinitions.set(occurrence.idx, occurrence);
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
  }

  result(): DocTags {
    return { occurrences: this.occurrences, diagnostics: this.diagnostics };
  }
}
