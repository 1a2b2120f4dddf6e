/**
 * Per-document work: parse with positions (jsonc-parser), the shape check, scope safety and tool
 * ids. Everything here depends on one document's text only, so its result is cached per text.
 */
import { getNodeValue, parseTree, type ParseError } from "jsonc-parser";
import {
  BundleDocument,
  type DocumentEntry,
  type ParsedDocument,
  type ScopeField,
  type ScopePattern,
} from "./bundleDocument";
import { checkBundleShape } from "./schemaCheck";
import { isLiteralEntry } from "./globs";
import { describeParseError } from "./parseErrors";
import { positionOf, toPointer } from "./diagnostics";
import { countChar, countKeys, duplicateKeys, MAX_NESTING, tooDeepAt } from "./jsonLimits";
import { normaliseScopeEntry, unsafeScopeReason } from "./scopePaths";
import { type Bundle, type LoadedBundle } from "./types";

export {
  type DocumentEntry,
  type ParsedDocument,
  type ScopeField,
  type ScopePattern,
} from "./bundleDocument";

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
    const keys = countKeys(value);
    if (keys < 0) return refuseTooDeep(result, source);
    // Every key has a colon after it: as many colons as keys means no key is there twice.
    if (countChar(source, ":") !== keys) reportDuplicateKeys(result, source);
    checkRoot(result, value);
    return result;
  }
  // jsonc-parser's tree is recursive: refuse a text that nests deep enough to overflow the stack.
  if (tooDeepAt(source) >= 0) return refuseTooDeep(result, source);
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

/** A document nested deeper than MAX_NESTING: one error where the limit is crossed, nothing read. */
function refuseTooDeep(document: BundleDocument, source: string): ParsedDocument {
  const offset = Math.max(tooDeepAt(source), 0);
  const message = `The JSON nests more than ${MAX_NESTING} levels deep here; a bundle needs a few, so the file is not read.`;
  document.report(document.make(offset, 1, "", "parse", "error", message));
  document.broken = true;
  return document;
}

/**
 * Rule: no key twice in one object. JSON.parse keeps the last value without a word, other readers
 * keep the first, so the file would mean different things to different tools: an error.
 */
function reportDuplicateKeys(document: BundleDocument, source: string): void {
  for (const duplicate of duplicateKeys(source)) {
    const first = positionOf(source, duplicate.firstOffset);
    const message = `Duplicate key "${duplicate.key}" (first at line ${first.line}, column ${first.column}); JSON keeps only the last value, so the earlier one is silently ignored.`;
    const pointer = toPointer([...duplicate.path, duplicate.key]);
    document.report(document.make(duplicate.offset, duplicate.length, pointer, "parse", "error", message));
  }
}

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
