/** A cross-file result before it is given a position: keyed by document and entry, not by offsets. */
import { type DiagnosticType, type Severity } from "./diagnostics";

export interface Finding {
  uri: string;
  /** The entry's index in an array file, or null. */
  index: number | null;
  /** Path inside the entry. */
  path: (string | number)[];
  type: DiagnosticType;
  severity: Severity;
  id: string;
  message: string;
}

/** The document, index and id of the entry a finding is about. */
export type FindingPlace = Pick<Finding, "uri" | "index" | "id">;

export function where(entry: FindingPlace): FindingPlace {
  return { uri: entry.uri, index: entry.index, id: entry.id };
}
