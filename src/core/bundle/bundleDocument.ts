/**
 * What a parsed document is (its entries and diagnostics) and how a diagnostic gets its position:
 * line, column and a JSON pointer, from the text, made only when a document has a diagnostic.
 */
import { findNodeAtLocation, parseTree, type Node } from "jsonc-parser";
import {
  LineIndex,
  positionOf,
  toPointer,
  type Diagnostic,
  type DiagnosticType,
  type Severity,
} from "./diagnostics";
import { locateValue } from "./locate";
import { type LoadedBundle } from "./types";

/** One bundle object found in a document, valid or not. */
export interface DocumentEntry {
  /** The document it was found in. */
  uri: string;
  /** Index in the file's array, or null when the file holds one object. */
  index: number | null;
  /** The id when it is a string (even if the shape is otherwise wrong), for cross-file checks. */
  id: string | undefined;
  /** String entries of depends_on, whatever else is wrong. */
  dependsOn: readonly string[];
  /**
   * files_scope and files_create normalised (see normaliseScopeEntry), position for position, with
   * null where an entry is unusable: not a string, unsafe or empty. Most bundles' lists are already
   * normal, and are then these lists themselves.
   */
  scopePatterns: readonly ScopePattern[];
  createPatterns: readonly ScopePattern[];
  /**
   * The normalised bundle, with where it came from, when the shape check passed. Made with the
   * entry: filling it in later would point a possibly promoted entry at a new object, which keeps
   * that object alive through every minor collection until the next full one.
   */
  loaded: LoadedBundle | undefined;
  value: unknown;
}

export interface ParsedDocument {
  uri: string;
  text: string;
  /** True when the text could not be parsed into JSON (entries are then empty). */
  broken: boolean;
  entries: readonly DocumentEntry[];
  /** Parse, schema and scope diagnostics: the ones that depend on this text alone. */
  readonly diagnostics: readonly Diagnostic[];
  /** Diagnostic at a JSON path inside this document (falls back to the nearest existing node). */
  at(
    path: readonly (string | number)[],
    type: DiagnosticType,
    severity: Severity,
    message: string,
    options?: { id?: string; onKey?: boolean },
  ): Diagnostic;
}

/** One parsed document. Most have no diagnostic, so what positions need is made at the first one. */
export class BundleDocument implements ParsedDocument {
  broken = false;
  entries: readonly DocumentEntry[] = noEntries;
  /** The text as parsed: a byte-order mark is replaced by a space so offsets stay aligned. */
  source: string;
  private reported: Diagnostic[] | undefined;
  private positions: TextPositions | undefined;

  constructor(
    readonly uri: string,
    readonly text: string,
  ) {
    this.source = text;
  }

  get diagnostics(): readonly Diagnostic[] {
    return this.reported ?? noDiagnostics;
  }

  report(diagnostic: Diagnostic): void {
    if (this.reported) this.reported.push(diagnostic);
    else this.reported = [diagnostic];
  }

  /** The tree of a text that jsonc-parser already parsed (when JSON.parse could not). */
  setTree(root: Node | undefined): void {
    this.positionsOf().setTree(root);
  }

  make(
    offset: number,
    length: number,
    pointer: string,
    type: DiagnosticType,
    severity: Severity,
    message: string,
    id?: string,
  ): Diagnostic {
    const { line, column } = this.positionsOf().position(offset);
    const diagnostic: Diagnostic = {
      type,
      severity,
      file: this.uri,
      line,
      column,
      offset,
      length,
      pointer,
      message,
    };
    if (id !== undefined) diagnostic.id = id;
    return diagnostic;
  }

  at(
    path: readonly (string | number)[],
    type: DiagnosticType,
    severity: Severity,
    message: string,
    options: { id?: string; onKey?: boolean } = {},
  ): Diagnostic {
    const positions = this.positionsOf();
    if (!positions.treeBuilt) {
      // Valid JSON: a token walk finds an existing path without building the tree.
      const range = locateValue(this.source, path);
      if (range) {
        const key = options.onKey ? range.key : undefined;
        const [offset, length] = key
          ? [key.offset, key.length]
          : [range.offset, range.container ? 1 : range.length];
        return this.make(offset, length, toPointer(path), type, severity, message, options.id);
      }
    }
    const root = positions.tree();
    let node = root ? findNodeAtLocation(root, [...path]) : undefined;
    let onKey = options.onKey ?? false;
    for (let depth = path.length - 1; !node && root && depth >= 0; depth--) {
      node = findNodeAtLocation(root, path.slice(0, depth));
      onKey = false;
    }
    if (onKey && node?.parent?.type === "property") node = node.parent.children?.[0];
    // Whole objects and arrays are underlined at their opening bracket only; less noise in the editor.
    const isContainer = node?.type === "object" || node?.type === "array";
    const offset = node?.offset ?? 0;
    const length = node ? (isContainer ? 1 : node.length) : 0;
    return this.make(offset, length, toPointer(path), type, severity, message, options.id);
  }

  private positionsOf(): TextPositions {
    this.positions ??= new TextPositions(this.source);
    return this.positions;
  }
}

const noEntries: readonly DocumentEntry[] = [];
const noDiagnostics: readonly Diagnostic[] = [];

/** Lines and the tree of one text, each made when first needed. */
class TextPositions {
  treeBuilt = false;
  private root: Node | undefined;
  private lines: LineIndex | undefined;
  /** How many positions were asked for before the line index was made. */
  private positioned = 0;

  constructor(private readonly text: string) {}

  setTree(root: Node | undefined): void {
    this.root = root;
    this.treeBuilt = true;
  }

  tree(): Node | undefined {
    if (!this.treeBuilt)
      this.setTree(parseTree(this.text, [], { disallowComments: true, allowTrailingComma: false }));
    return this.root;
  }

  position(offset: number): { line: number; column: number } {
    if (this.lines) return this.lines.position(offset);
    if (this.positioned++ === 0) return positionOf(this.text, offset);
    this.lines = new LineIndex(this.text); // a second position: index the lines once for all
    return this.lines.position(offset);
  }
}

export type ScopeField = "files_scope" | "files_create";

/** A normalised scope entry, or null for one that is not used (see DocumentEntry). */
export type ScopePattern = string | null;
