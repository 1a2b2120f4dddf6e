/** What validation reports: plain data the CLI prints and the editor underlines. */

export type DiagnosticType =
  | "parse"
  | "schema"
  | "duplicate"
  | "dependency"
  | "cycle"
  | "overlap"
  | "scope"
  | "config"
  /** An entry of the workstreams directory that could not or must not be read (not a regular file, too large, outside the repository). */
  | "file";

export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  type: DiagnosticType;
  severity: Severity;
  /** The document's uri as the caller gave it (the CLI uses file paths). */
  file: string;
  /** 1-based line and column of the start of the range. */
  line: number;
  column: number;
  /** 0-based character offsets of the range, so an editor can underline exactly. */
  offset: number;
  length: number;
  /** RFC 6901 JSON pointer into the document ("" for the whole document). */
  pointer: string;
  /** Workstream id when known. */
  id?: string;
  message: string;
}

/** Maps character offsets to 1-based lines and columns; built once per document text. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let index = 0; index < text.length; index++) {
      if (text.charCodeAt(index) === 10) this.lineStarts.push(index + 1);
    }
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low] + 1 };
  }
}

/**
 * The 1-based line and column of one offset, by counting the lines before it: cheaper than a
 * LineIndex when a text gets a single position, as most documents with a diagnostic do.
 */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (
    let newline = text.indexOf("\n");
    newline !== -1 && newline < offset;
    newline = text.indexOf("\n", newline + 1)
  ) {
    line++;
    lineStart = newline + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** RFC 6901 pointer for a path of keys and indexes. */
export function toPointer(path: readonly (string | number)[]): string {
  return path.map((part) => "/" + String(part).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order: by file, position, then severity and message. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.offset !== b.offset) return a.offset - b.offset;
  if (a.severity !== b.severity) return severityRank[a.severity] - severityRank[b.severity];
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}
