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
  /**
   * Where each tag's first heading occurrence so far is (its definition): an index into the two
   * arrays after it. Numbers rather than an object per tag: a large tree defines 100,000 tags, and
   * the objects cost 9 of the 164 ms that collecting 20,000 docs took.
   */
  private readonly headingDefinitions = new Map<string, number>();
  private readonly definitionFiles: number[] = [];
  private readonly definitionLines: number[] = [];
  /** The docs added so far, in order; definitionFiles holds indexes into it. */
  private readonly files: string[] = [];
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
    const fileNumber = this.files.push(file) - 1;
    const scan = scanText(file, text, { markdown: true });
    let fileDiagnostics: SpecDiagnostic[] | undefined =
      scan.diagnostics.length > 0 ? [...scan.diagnostics] : undefined;
    for (const occurrence of scan.occurrences) {
      if (this.keepOccurrences) this.occurrences.push(occurrence);
      if (!occurrence.inHeading) continue;
      const definition = this.headingDefinitions.get(occurrence.idx);
      if (definition === undefined) {
        this.headingDefinitions.set(occurrence.idx, this.definitionLines.length);
        this.definitionFiles.push(fileNumber);
        this.definitionLines.push(occurrence.line);
        continue;
      }
      const definedIn = this.files[this.definitionFiles[definition]];
      const definedAt = this.definitionLines[definition];
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
        message: `[${idx}] is defined twice: this heading and ${definedIn}:${definedAt}.`,
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
