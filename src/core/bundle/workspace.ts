/**
 * Validation of a whole workstreams directory, incrementally: each document's own checks are cached
 * per text, and the cross-file checks (duplicates, dependencies, cycles, overlaps, tool ids) rerun
 * over the cached entries on every change, so every affected file's diagnostics stay right.
 */
import { compareDiagnostics, type Diagnostic } from "./diagnostics";
import { parseDocument, type DocumentEntry, type ParsedDocument } from "./document";
import { DependencyGraph, findCycles, Ordering } from "./graph";
import { OverlapCache, overlapFindings, sharedFiles, type ScopedEntry } from "./overlaps";
import { type Finding } from "./findings";
import { type ToolProfileIds } from "./toolProfiles";
import { type LoadedBundle } from "./types";

export interface ValidationResult {
  /** Bundles whose document parsed and whose shape passed, in file then array order. */
  bundles: LoadedBundle[];
  /** Every diagnostic, sorted by file and position. */
  diagnostics: Diagnostic[];
}

export interface WorkspaceOptions {
  /** Repository-relative paths of tracked files (the overlap universe besides declared files). */
  trackedFiles: Iterable<string>;
  /** Profile ids for rule 8; leave out to skip the rule entirely. */
  toolProfiles?: ToolProfileIds;
}

export interface DocumentText {
  uri: string;
  text: string;
}

/** Validates a set of documents at once. Pure; never throws on bad input. */
export function validateDocuments(
  documents: readonly DocumentText[],
  options: WorkspaceOptions,
): ValidationResult {
  return BundleWorkspace.oneOff(documents, options).result();
}

/** The loaded set the editor keeps: change one document, get the whole set's result back. */
export class BundleWorkspace {
  /** Each document's current parse. */
  private readonly documents = new Map<string, ParsedDocument>();
  /**
   * The last parse that was not broken, of each document whose current one is: a typo does not
   * hide its bundles from the other documents' checks.
   */
  private readonly lastGood = new Map<string, ParsedDocument>();
  /** The current parses sorted by uri; made again when a document comes or goes. */
  private sorted: ParsedDocument[] | undefined;
  private readonly trackedFiles: Iterable<string>;
  /** The overlap universe an editing workspace keeps between changes (see OverlapCache). */
  private readonly overlapCache: OverlapCache | undefined;
  private toolProfiles: ToolProfileIds | undefined;
  /** Entries whose declared files are in the overlap universe now. */
  private declaring = new Set<DocumentEntry>();
  private current: ValidationResult | undefined;

  /** Set when the result is computed once and no edit follows, so nothing is kept for reuse. */
  private readonly oneOff: boolean;

  /**
   * A workspace that holds these documents, computes their result once and takes no edits: the
   * path of the CLI, which skips every cache that only a later edit would read.
   *
   * The documents are parsed before the workspace exists, and a pass stores nothing in it. An object
   * made early in a pass may be promoted to the old generation by a minor collection; a pointer it
   * then takes to a newer object keeps that object, and all it reaches, alive through every minor
   * collection until the next full one, long after the pass is over.
   */
  static oneOff(documents: readonly DocumentText[], options: WorkspaceOptions): BundleWorkspace {
    const parsed = latestByUri(documents.map((document) => parseDocument(document.uri, document.text)));
    return new BundleWorkspace(options, parsed);
  }

  /** An editing workspace; `oneOffDocuments` is for BundleWorkspace.oneOff only. */
  constructor(options: WorkspaceOptions, oneOffDocuments?: ParsedDocument[]) {
    this.oneOff = oneOffDocuments !== undefined;
    this.sorted = oneOffDocuments;
    this.trackedFiles = options.trackedFiles;
    if (!this.oneOff) this.overlapCache = new OverlapCache(options.trackedFiles);
    this.toolProfiles = options.toolProfiles;
  }

  /** Sets (or replaces) one document's text and returns the whole set's result. */
  setDocument(uri: string, text: string, options: { deferred?: boolean } = {}): ValidationResult {
    this.refuseEditsIfOneOff();
    const known = this.documents.get(uri);
    if (!known || known.text !== text) {
      const parsed = parseDocument(uri, text);
      this.documents.set(uri, parsed);
      if (!parsed.broken) this.lastGood.delete(uri);
      else if (known && !known.broken) this.lastGood.set(uri, known);
      if (!known) this.sorted = undefined;
      else if (this.sorted) this.sorted[indexByUri(this.sorted, uri)] = parsed;
    }
    this.current = undefined;
    return options.deferred ? emptyResult : this.result();
  }

  /**
   * Each change below returns the whole set's result, or, when `deferred`, an empty one: a caller
   * that applies a batch of changes asks for `result()` once at the end, which computes it once.
   */
  removeDocument(uri: string, options: { deferred?: boolean } = {}): ValidationResult {
    this.refuseEditsIfOneOff();
    this.documents.delete(uri);
    this.lastGood.delete(uri);
    this.sorted = undefined;
    this.current = undefined;
    return options.deferred ? emptyResult : this.result();
  }

  setTrackedFiles(files: Iterable<string>, options: { deferred?: boolean } = {}): ValidationResult {
    this.refuseEditsIfOneOff();
    this.overlapCache!.setTrackedFiles(files);
    this.shared = undefined;
    this.current = undefined;
    return options.deferred ? emptyResult : this.result();
  }

  setToolProfiles(
    profiles: ToolProfileIds | undefined,
    options: { deferred?: boolean } = {},
  ): ValidationResult {
    this.refuseEditsIfOneOff();
    this.toolProfiles = profiles;
    this.current = undefined;
    return options.deferred ? emptyResult : this.result();
  }

  uris(): string[] {
    return this.sortedDocuments().map((document) => document.uri);
  }

  /** The current result; computed once per change (each time, for a one-off workspace). */
  result(): ValidationResult {
    if (this.oneOff) return this.computeOnce();
    this.current ??= this.compute();
    return this.current;
  }

  private refuseEditsIfOneOff(): void {
    if (this.oneOff) throw new Error("A one-off validation takes no edits; use an editing workspace.");
  }

  private sortedDocuments(): ParsedDocument[] {
    this.sorted ??= [...this.documents.values()].sort(byUri);
    return this.sorted;
  }

  private currentDocument(uri: string): ParsedDocument | undefined {
    if (!this.oneOff) return this.documents.get(uri);
    const sorted = this.sortedDocuments();
    const index = indexByUri(sorted, uri);
    return index < sorted.length && sorted[index].uri === uri ? sorted[index] : undefined;
  }

  /** The documents' own diagnostics, the bundles that loaded, and the entries in the cross-file checks. */
  private gather(): { diagnostics: Diagnostic[]; bundles: LoadedBundle[]; scoped: ScopedEntry[] } {
    const diagnostics: Diagnostic[] = [];
    const bundles: LoadedBundle[] = [];
    const scoped: ScopedEntry[] = [];
    for (const document of this.sortedDocuments()) {
      if (document.diagnostics.length > 0) diagnostics.push(...document.diagnostics);
      for (const entry of document.entries) if (entry.loaded) bundles.push(entry.loaded);
      // A broken document still takes part with its last good entries, but gets no cross-file
      // diagnostics of its own: their positions would be stale.
      const source = document.broken ? this.lastGood.get(document.uri) : document;
      if (!source) continue;
      for (const entry of source.entries) if (entry.id !== undefined) scoped.push(entry as ScopedEntry);
    }
    return { diagnostics, bundles, scoped };
  }

  /** Every stage, with nothing kept (see BundleWorkspace.oneOff). */
  private computeOnce(): ValidationResult {
    const { diagnostics, bundles, scoped } = this.gather();
    const { graph, findings: graphResults } = graphFindings(scoped);
    const cache = new OverlapCache(this.trackedFiles, { incremental: false });
    for (const entry of scoped) cache.declare(entry, 1);
    const shared = sharedFiles(scoped, cache);
    const overlapResults = overlapFindings(scoped, shared, new Ordering(graph), cache);
    return this.finish(diagnostics, bundles, [graphResults, overlapResults, this.checkTools(scoped)]);
  }

  private compute(): ValidationResult {
    const { diagnostics, bundles, scoped } = this.gather();
    const cache = this.overlapCache!;
    const previous = this.previousScoped;
    this.previousScoped = scoped;

    // Each stage reruns only when its inputs changed; a keystroke in a task reruns none of them.
    const graphChanged = this.graphStage === undefined || changed(previous, scoped, sameGraphInputs);
    if (graphChanged) this.graphStage = graphFindings(scoped);
    const { graph, findings: graphResults } = this.graphStage!;
    if (graphChanged) this.ordering = new Ordering(graph);

    const filesChanged = this.shared === undefined || changed(previous, scoped, sameScopeInputs);
    if (filesChanged) {
      this.refreshDeclared(scoped);
      this.shared = sharedFiles(scoped, cache);
    }
    if (filesChanged || graphChanged || this.overlapResults === undefined)
      this.overlapResults = overlapFindings(scoped, this.shared!, this.ordering!, cache);
    return this.finish(diagnostics, bundles, [graphResults, this.overlapResults, this.checkTools(scoped)]);
  }

  /** The result: the findings placed in their documents, everything sorted. */
  private finish(
    diagnostics: Diagnostic[],
    bundles: LoadedBundle[],
    findingLists: readonly (readonly Finding[])[],
  ): ValidationResult {
    for (const findings of findingLists)
      for (const finding of findings) {
        const located = this.locate(finding);
        if (located) diagnostics.push(located);
      }
    diagnostics.push(...this.configDiagnostics());
    diagnostics.sort(compareDiagnostics);
    return { bundles, diagnostics };
  }

  private previousScoped: ScopedEntry[] = [];
  private graphStage: { graph: DependencyGraph; findings: Finding[] } | undefined;
  private ordering: Ordering | undefined;
  private shared: ReturnType<typeof sharedFiles> | undefined;
  private overlapResults: Finding[] | undefined;
  private readonly located = new WeakMap<ParsedDocument, Map<string, Diagnostic>>();
  private readonly toolResults = new WeakMap<
    DocumentEntry,
    { profiles: ToolProfileIds; findings: readonly Finding[] }
  >();

  /** A finding's diagnostic in the current text of its document, memoised per document text. */
  private locate(finding: Finding): Diagnostic | undefined {
    const document = this.currentDocument(finding.uri);
    if (!document || document.broken) return undefined;
    if (this.oneOff) return this.diagnosticAt(document, finding);
    let memo = this.located.get(document);
    if (!memo) this.located.set(document, (memo = new Map<string, Diagnostic>()));
    const key = `${finding.index}|${finding.path.join("/")}|${finding.type}|${finding.severity}|${finding.message}`;
    let diagnostic = memo.get(key);
    if (!diagnostic) {
      diagnostic = this.diagnosticAt(document, finding);
      memo.set(key, diagnostic);
    }
    return diagnostic;
  }

  private diagnosticAt(document: ParsedDocument, finding: Finding): Diagnostic {
    const path = finding.index === null ? finding.path : [finding.index, ...finding.path];
    return document.at(path, finding.type, finding.severity, finding.message, { id: finding.id });
  }

  /** Brings the declared files in the overlap universe up to date with the entries in play. */
  private refreshDeclared(scoped: readonly ScopedEntry[]): void {
    const cache = this.overlapCache!;
    const now = new Set<DocumentEntry>(scoped);
    for (const entry of this.declaring) if (!now.has(entry)) cache.declare(entry, -1);
    for (const entry of now) if (!this.declaring.has(entry)) cache.declare(entry, 1);
    this.declaring = now;
  }

  private configDiagnostics(): Diagnostic[] {
    const profiles = this.toolProfiles;
    if (!profiles || profiles.ids !== null) return [];
    if (profiles.diagnostics.length > 0) return profiles.diagnostics;
    return [
      {
        type: "config",
        severity: "warning",
        file: profiles.uri,
        line: 1,
        column: 1,
        offset: 0,
        length: 0,
        pointer: "",
        message: "The tool profiles file does not exist, so tool ids are not checked.",
      },
    ];
  }

  private checkTools(scoped: readonly ScopedEntry[]): readonly Finding[] {
    const profiles = this.toolProfiles;
    if (!profiles || profiles.ids === null) return noFindings;
    const findings: Finding[] = [];
    for (const entry of scoped) {
      let found: readonly Finding[];
      if (this.oneOff) found = toolFindings(entry, profiles.ids);
      else {
        let cached = this.toolResults.get(entry);
        if (!cached || cached.profiles !== profiles) {
          cached = { profiles, findings: toolFindings(entry, profiles.ids) };
          this.toolResults.set(entry, cached);
        }
        found = cached.findings;
      }
      for (const finding of found) findings.push(finding);
    }
    return findings;
  }
}

/** Rule 8 for one bundle; most name known tools, and get the shared empty list. */
function toolFindings(entry: ScopedEntry, ids: ReadonlySet<string>): readonly Finding[] {
  const value = entry.value as Record<string, unknown>;
  let findings: Finding[] | undefined;
  if (typeof value.tool === "string" && !ids.has(value.tool))
    (findings ??= []).push(unknownTool(entry, value.tool, ["tool"], "tool", ids));
  for (const field of toolListFields) {
    const list = value[field];
    if (!Array.isArray(list)) continue;
    for (let position = 0; position < list.length; position++) {
      const name: unknown = list[position];
      if (typeof name === "string" && !ids.has(name))
        (findings ??= []).push(unknownTool(entry, name, [field, position], field, ids));
    }
  }
  return findings ?? noFindings;
}

const toolListFields = ["static_tools", "runtime_tools"] as const;
const noFindings: readonly Finding[] = [];

function unknownTool(
  entry: ScopedEntry,
  name: string,
  path: (string | number)[],
  field: string,
  ids: ReadonlySet<string>,
): Finding {
  return {
    ...where(entry),
    path,
    type: "config",
    severity: "error",
    message: `Unknown tool profile "${name}" in ${field}; defined profiles: ${[...ids].sort().join(", ")}.`,
  };
}

function where(entry: ScopedEntry): { uri: string; index: number | null; id: string } {
  return { uri: entry.uri, index: entry.index, id: entry.id };
}

/** Rules 3–5: duplicates, unknown dependencies and cycles, with the graph they were computed on. */
function graphFindings(scoped: readonly ScopedEntry[]): {
  graph: DependencyGraph;
  findings: Finding[];
} {
  const findings: Finding[] = [];
  const graph = new DependencyGraph(
    scoped.map((item) => item.id),
    scoped.map((item) => item.dependsOn),
  );
  // The first definition of an id is its node; later ones are duplicates of it.
  const definition = (node: number): ScopedEntry => scoped[graph.definedAt[node]];
  let duplicated: Map<string, ScopedEntry[]> | undefined;
  if (graph.size < scoped.length)
    for (let position = 0; position < scoped.length; position++) {
      const item = scoped[position];
      const first = definition(graph.nodeAt[position]);
      if (first === item) continue;
      duplicated ??= new Map();
      (duplicated.get(item.id) ?? duplicated.set(item.id, [first]).get(item.id)!).push(item);
    }
  for (const [id, owners] of duplicated ?? [])
    for (const owner of owners) {
      const elsewhere = owners
        .filter((other) => other !== owner)
        .map((other) => (other.index === null ? other.uri : `${other.uri} [${other.index}]`));
      findings.push({
        ...where(owner),
        path: ["id"],
        type: "duplicate",
        severity: "error",
        message: `Duplicate id "${id}": also defined in ${elsewhere.join(", ")}.`,
      });
    }
  for (const item of scoped) {
    const { dependsOn } = item;
    for (let position = 0; position < dependsOn.length; position++) {
      const dependency = dependsOn[position];
      if (!graph.nodes.has(dependency))
        findings.push({
          ...where(item),
          path: ["depends_on", position],
          type: "dependency",
          severity: "error",
          message: `Unknown dependency "${dependency}": no bundle in the workstreams directory has this id.`,
        });
    }
  }
  for (const cycle of findCycles(graph)) {
    const text = cycle.path.join(" → ");
    for (const member of cycle.members) {
      const item = definition(graph.nodes.get(member)!);
      const step = cycle.path.indexOf(member);
      const next = step >= 0 ? cycle.path[step + 1] : undefined;
      const position = next === undefined ? -1 : item.dependsOn.indexOf(next);
      findings.push({
        ...where(item),
        path: position >= 0 ? ["depends_on", position] : ["depends_on"],
        type: "cycle",
        severity: "error",
        id: member,
        message: `Dependency cycle: ${text}.`,
      });
    }
  }
  return { graph, findings };
}

/** True when the two lists differ in any way `same` cares about. */
function changed(
  before: readonly ScopedEntry[],
  after: readonly ScopedEntry[],
  same: (a: ScopedEntry, b: ScopedEntry) => boolean,
): boolean {
  if (before.length !== after.length) return true;
  for (let index = 0; index < after.length; index++) {
    const [a, b] = [before[index], after[index]];
    if (a !== b && !same(a, b)) return true;
  }
  return false;
}

/** Same length and the same items (objects only when they are the very same). */
function sameItems(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((value, index) => value === b[index]);
}

function samePlace(a: ScopedEntry, b: ScopedEntry): boolean {
  return a.id === b.id && a.uri === b.uri && a.index === b.index;
}

function sameGraphInputs(a: ScopedEntry, b: ScopedEntry): boolean {
  return samePlace(a, b) && sameItems(a.dependsOn, b.dependsOn);
}

/** The scope lists as written: the patterns and the declared files both follow from them. */
function sameScopeInputs(a: ScopedEntry, b: ScopedEntry): boolean {
  const [first, second] = [a.value as Record<string, unknown>, b.value as Record<string, unknown>];
  return (
    samePlace(a, b) &&
    sameItems(first.files_scope, second.files_scope) &&
    sameItems(first.files_create, second.files_create)
  );
}

/** Parses sorted by uri, the last one of each uri only (as setting them one by one would keep). */
function latestByUri(documents: ParsedDocument[]): ParsedDocument[] {
  let sorted = true;
  for (let index = 1; index < documents.length && sorted; index++)
    sorted = documents[index - 1].uri < documents[index].uri;
  if (sorted) return documents; // a directory listing mostly is: no sort, no copy
  const ordered = documents
    .map((document, position) => ({ document, position }))
    .sort((a, b) => byUri(a.document, b.document) || a.position - b.position)
    .map(({ document }) => document);
  return ordered.filter((document, index) => ordered[index + 1]?.uri !== document.uri);
}

function byUri(a: ParsedDocument, b: ParsedDocument): number {
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0;
}

/** Where `uri` is in documents sorted by uri, or where it would go. */
function indexByUri(sorted: readonly ParsedDocument[], uri: string): number {
  let [low, high] = [0, sorted.length];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle].uri < uri) low = middle + 1;
    else high = middle;
  }
  return low;
}

const emptyResult: ValidationResult = { bundles: [], diagnostics: [] };
