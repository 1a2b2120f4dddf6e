/**
 * Per-document work: parse with positions (jsonc-parser), the shape check, scope safety and tool
 * ids. Everything here depends on one document's text only, so its result is cached per text.
 */
import {
  findNodeAtLocation,
  getNodeValue,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError,
} from "jsonc-parser";
import {
  LineIndex,
  positionOf,
  toPointer,
  type Diagnostic,
  type DiagnosticType,
  type Severity,
} from "./diagnostics";
import { checkBundleShape } from "./schemaCheck";
import { isLiteralEntry } from "./globs";
import { locateValue } from "./locate";
import { normaliseScopeEntry, unsafeScopeReason } from "./scopePaths";
import { type Bundle, type LoadedBundle } from "./types";

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
class BundleDocument implements ParsedDocument {
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

/** Parses and checks one document. Never throws on bad input. */
export function parseDocument(uri: string, text: string): ParsedDocument {
  const result = new BundleDocument(uri, text);
  if (text.charCodeAt(0) === 0xfeff) {
    result.report(
      result.make(
        0,
        1,
        "",
        "parse",
        "warning",
        "The file starts with a byte-order mark; save it as UTF-8 without BOM.",
      ),
    );
    result.source = " " + text.slice(1); // keep offsets aligned with the editor's text
  }
  const source = result.source;
  if (!/\S/.test(source)) {
    result.report(
      result.make(
        0,
        0,
        "",
        "parse",
        "error",
        "The file is empty; expected a bundle object or an array of bundles.",
      ),
    );
    result.broken = true;
    return result;
  }
  let value: unknown;
  try {
    value = JSON.parse(source); // the fast path: native parsing, positions only when needed
  } catch {
    value = parseFailure;
  }
  if (value !== parseFailure) {
    checkRoot(result, value);
    return result;
  }
  const errors: ParseError[] = [];
  const root = parseTree(source, errors, { disallowComments: true, allowTrailingComma: false });
  result.setTree(root);
  // jsonc-parser recovers and reports follow-on errors; like a compiler, the first one is the one to fix.
  const [firstError] = errors;
  if (firstError) {
    const { offset, length, message } = describeParseError(source, firstError);
    result.report(result.make(offset, length, "", "parse", "error", message));
  }
  if (errors.length > 0 || !root) {
    result.broken = true;
    return result;
  }

  // JSON.parse refused something jsonc-parser accepts (a lone surrogate, say): use the tree's value.
  checkRoot(result, getNodeValue(root) as unknown);
  return result;
}

const parseFailure = Symbol("parse failure");

function checkRoot(document: BundleDocument, value: unknown): void {
  if (Array.isArray(value)) {
    if (value.length === 0)
      document.report(document.at([], "schema", "warning", "The array holds no bundles."));
    document.entries = value.map((item, index) => checkEntry(document, item, index));
  } else if (typeof value === "object" && value !== null) {
    document.entries = [checkEntry(document, value, null)]; // a list grown by push would take 16 slots
  } else {
    document.report(document.at([], "schema", "error", "Expected a bundle object or an array of bundles."));
  }
}

/** The string items of a list. The list itself when that is all it holds (read-only, like the rest of the parse). */
function strings(value: unknown): readonly string[] {
  if (!Array.isArray(value)) return noStrings;
  for (const item of value as unknown[])
    if (typeof item !== "string") return value.filter((entry): entry is string => typeof entry === "string");
  return value as string[];
}

const noStrings: readonly string[] = [];

function checkEntry(document: BundleDocument, value: unknown, index: number | null): DocumentEntry {
  const record =
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  const id = typeof record.id === "string" ? record.id : undefined;
  const problems = checkBundleShape(value);
  for (const problem of problems) {
    document.report(
      document.at(inEntry(index, problem.path), "schema", "error", problem.message, {
        id,
        onKey: problem.onKey,
      }),
    );
  }
  const scope = scopePatterns(document, record, "files_scope", index, id);
  const create = scopePatterns(document, record, "files_create", index, id);
  const bundle = problems.length === 0 ? normalise(value as Bundle) : undefined;
  const loaded = bundle && { bundle, source: { file: document.uri, index } };
  return new Entry(document.uri, index, id, strings(record.depends_on), scope, create, loaded, value);
}

class Entry implements DocumentEntry {
  constructor(
    readonly uri: string,
    readonly index: number | null,
    readonly id: string | undefined,
    readonly dependsOn: readonly string[],
    readonly scopePatterns: readonly ScopePattern[],
    readonly createPatterns: readonly ScopePattern[],
    readonly loaded: LoadedBundle | undefined,
    readonly value: unknown,
  ) {}
}

/** A path inside the document from a path inside one of its bundles. */
function inEntry(index: number | null, path: readonly (string | number)[]): (string | number)[] {
  return index === null ? [...path] : [index, ...path];
}

/**
 * Rule 6 on one of files_scope and files_create, and its entries normalised (see DocumentEntry).
 * Reports in the document as it was written, so it runs before normalise fills defaults in.
 */
function scopePatterns(
  document: BundleDocument,
  record: Record<string, unknown>,
  field: ScopeField,
  index: number | null,
  id: string | undefined,
): readonly ScopePattern[] {
  const list = record[field];
  if (!Array.isArray(list)) return noStrings;
  let patterns: ScopePattern[] | undefined; // made at the first entry that is not usable as it stands
  for (let position = 0; position < list.length; position++) {
    const path: unknown = list[position];
    let pattern: ScopePattern = null;
    if (typeof path === "string" && path !== "") {
      const reason = unsafeScopeReason(path);
      if (reason) {
        const at = inEntry(index, [field, position]);
        document.report(document.at(at, "scope", "error", `"${path}" in ${field} ${reason}.`, { id }));
      } else pattern = normaliseScopeEntry(path);
    }
    // A copy at the list's exact length; an emptied or grown one would take more room.
    if (pattern !== path) (patterns ??= (list as ScopePattern[]).slice())[position] = pattern;
  }
  return patterns ?? (list as string[]);
}

export type ScopeField = "files_scope" | "files_create";

/** A normalised scope entry, or null for one that is not used (see DocumentEntry). */
export type ScopePattern = string | null;

/** The entry's normalised files_scope or files_create. */
export function patternsIn(entry: DocumentEntry, field: ScopeField): readonly ScopePattern[] {
  return field === "files_scope" ? entry.scopePatterns : entry.createPatterns;
}

/**
 * Does the entry itself declare this file? Every files_create entry does, and a literal files_scope
 * entry that names a file (no trailing slash, a dot in the last segment), so two bundles claiming
 * the same README.md overlap even before it is tracked.
 */
export function declaresFile(entry: DocumentEntry, field: ScopeField, position: number): boolean {
  const pattern = patternsIn(entry, field)[position];
  if (pattern === null) return false;
  if (field === "files_create") return true;
  const raw = ((entry.value as Record<string, unknown>).files_scope as string[])[position];
  return !raw.endsWith("/") && !raw.endsWith("\\") && namesFile(pattern);
}

/** A literal entry whose last segment has a dot: a file, not a directory. */
function namesFile(pattern: string): boolean {
  return pattern.includes(".", pattern.lastIndexOf("/") + 1) && isLiteralEntry(pattern);
}

/** Fills the defaults the original applied, so every consumer sees the full shape. */
function normalise(raw: Bundle): Bundle {
  // In place: the value is this document's own fresh parse, and a copy per bundle is garbage to collect.
  raw.files_create ??= [];
  raw.acceptance_tests ??= [];
  raw.depends_on ??= [];
  return raw;
}

function describeParseError(
  text: string,
  error: ParseError,
): { offset: number; length: number; message: string } {
  const { offset, length } = error;
  const code = printParseErrorCode(error.error);
  const character = text[offset];
  if (
    (code === "PropertyNameExpected" || code === "ValueExpected") &&
    (character === "}" || character === "]")
  ) {
    let before = offset - 1;
    while (before >= 0 && /\s/.test(text[before])) before--;
    if (text[before] === ",")
      return {
        offset: before,
        length: 1,
        message: `Trailing comma before "${character}"; JSON does not allow it.`,
      };
  }
  const messages: Record<string, string> = {
    InvalidSymbol: "Unexpected character; expected a JSON value.",
    InvalidNumberFormat: "Invalid number.",
    PropertyNameExpected: "Expected a property name in double quotes.",
    ValueExpected: "Expected a value.",
    ColonExpected: 'Expected ":" after the property name.',
    CommaExpected: 'Expected "," between entries.',
    CloseBraceExpected: 'Expected "}" to close the object.',
    CloseBracketExpected: 'Expected "]" to close the array.',
    EndOfFileExpected: "Unexpected content after the end of the JSON value.",
    InvalidCommentToken: "Comments are not allowed in JSON.",
    UnexpectedEndOfComment: "Unterminated comment.",
    UnexpectedEndOfString: "Unterminated string.",
    UnexpectedEndOfNumber: "Unterminated number.",
    InvalidUnicode: "Invalid unicode escape.",
    InvalidEscapeCharacter: "Invalid escape character in string.",
    InvalidCharacter: "Invalid character in string.",
  };
  return { offset, length: Math.max(length, 1), message: messages[code] ?? "Invalid JSON." };
}
