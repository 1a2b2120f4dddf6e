/** Shared shapes of the IDX tag index: what a scan finds and what the index reports. */

/** Where a file sits in the traceability chain; docs define tags, everything else refers to them. */
export type SpecFileKind = "doc" | "bundle" | "code" | "test";

/**
 * One `[IDX-...]` tag found in a file. `line` and `column` are 1-based and counted in UTF-16 code
 * units, the way VS Code shows them ("Ln 3, Col 5"); subtract 1 for a `vscode.Position`.
 */
export interface TagOccurrence {
  /** The tag without brackets, e.g. `IDX-DB-SCHEMA-01`. */
  idx: string;
  file: string;
  line: number;
  column: number;
  /** 0-based UTF-16 offset of the opening `[` in the file's text (after a BOM is dropped). */
  offset: number;
  /** Length in UTF-16 code units, brackets included. */
  length: number;
  /** The nearest preceding Markdown heading in docs, else the trimmed line. */
  description: string;
  /** True when the tag sits in an ATX heading line of a doc. */
  inHeading: boolean;
}

export type SpecDiagnosticCode =
  "malformed-tag" | "missing-number" | "duplicate-definition" | "undefined-tag";

/** A problem found in the specs, with the position it concerns (same conventions as TagOccurrence). */
export interface SpecDiagnostic {
  code: SpecDiagnosticCode;
  severity: "error" | "warning";
  file: string;
  line: number;
  column: number;
  offset: number;
  length: number;
  message: string;
  /** The tag as written, brackets excluded (may be malformed). */
  idx: string;
}
