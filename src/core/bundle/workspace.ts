/**
 * Validation of a whole workstreams directory, incrementally: each document's own checks are cached
 * per text, and the cross-file checks (duplicates, dependencies, cycles, overlaps, tool ids) rerun
 * over the cached entries on every change, so every affected file's diagnostics stay right.
 */
import { compareDiagnostics, type Diagnostic } from "./diagnostics";
import { parseDocument, type DocumentEntry, type ParsedDocument } from "./document";
import { DependencyGraph, findCycles, Ordering } from "./graph";
import { declaredFiles, OverlapCache, overlapFindings, sharedFiles, type ScopedEntry } from "./overlaps";
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
  const workspace = new BundleWorkspace(options, { batch: true });
  for (const document of documents) workspace.setDocument(document.uri, document.text, { deferred: true });
  return workspace.result();
}

/** The loaded set the editor keeps: change one document, get the whole set's result back. */
export class BundleWorkspace {
  /**
   * Each document's current parse, and its last parse that was not broken, so a typo does not hide
   * its bundles from the other documents' checks.
   */
  private readonly documents = new Map<
    string,
    { current: ParsedDocument; lastGood: ParsedDocument | undefined }
  >();
  private readonly overlapCache: OverlapCache;
  private toolProfiles: ToolProfileIds | undefined;
  /** Entries whose declared files are in the overlap universe now. */
  private declaring = new Set<DocumentEntry>();
  private current: ValidationResult | undefined;

  /** Set when the result is computed once and no edit follows, so nothing is kept for reuse. */
  private readonly batch: boolean;

  constructor(options: WorkspaceOptions, { batch = false }: { batch?: boolean } = {}) {
    this.batch = batch;
    this.overlapCache = new OverlapCache(options.trackedFiles, { incremental: !batch });
    this.toolProfiles = options.toolProfiles;
  }

  /** Sets (or replaces) one document's text and returns the whole set's result. */
  setDocument(uri: string, text: string, options: { deferred?: boolean } = {}): ValidationResult {
    const known = this.documents.get(uri);
    if (!known || known.current.text !== text) {
      const parsed = parseDocument(uri, text);
      this.documents.set(uri, { current: parsed, lastGood: parsed.broken ? known?.lastGood : parsed });
    }
    this.current = undefined;
    return options.deferred ? emptyResult : this.result();
  }

  removeDocument(uri: string): ValidationResult {
    this.documents.delete(uri);
    this.current = undefined;
    return this.result();
  }

  setTrackedFiles(files: Iterable<string>): ValidationResult {
    this.overlapCache.setTrackedFiles(files);
    this.shared = undefined;
    this.current = undefined;
    return this.result();
  }

  setToolProfiles(profiles: ToolProfileIds | undefined): ValidationResult {
    this.toolProfiles = profiles;
    this.current = undefined;
    return this.result();
  }

  uris(): string[] {
    return [...this.documents.keys()].sort();
  }

  /** The current result; computed once per change. */
  result(): ValidationResult {
    this.current ??= this.compute();
    return this.current;
  }

  private compute(): ValidationResult {
    const uris = this.uris();
    const diagnostics: Diagnostic[] = [];
    const bundles: LoadedBundle[] = [];
    const scoped: ScopedEntry[] = [];
    for (const uri of uris) {
      const { current: document, lastGood } = this.documents.get(uri)!;
      if (document.diagnostics.length > 0) diagnostics.push(...document.diagnostics);
      for (const entry of document.entries) if (entry.loaded) bundles.push(entry.loaded);
      // A broken document still takes part with its last good entries, but gets no cross-file
      // diagnostics of its own: their positions would be stale.
      const source = document.broken ? lastGood : document;
      if (!source) continue;
      for (const entry of source.entries)
        if (entry.id !== undefined) scoped.push({ document: source, entry, id: entry.id });
    }
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
      this.shared = sharedFiles(scoped, this.overlapCache);
    }
    if (filesChanged || graphChanged || this.overlapResults === undefined)
      this.overlapResults = overlapFindings(scoped, this.shared!, this.ordering!, this.overlapCache);

    const toolResults = this.checkTools(scoped);
    for (const finding of [...graphResults, ...this.overlapResults, ...toolResults]) {
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
    { profiles: ToolProfileIds; findings: Finding[] }
  >();

  /** A finding's diagnostic in the current text of its document, memoised per document text. */
  private locate(finding: Finding): Diagnostic | undefined {
    const document = this.documents.get(finding.uri)?.current;
    if (!document || document.broken) return undefined;
    if (this.batch) return this.diagnosticAt(document, finding);
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
    if (this.batch) {
      for (const item of scoped) this.overlapCache.declare(declaredFiles(item.entry), 1);
      return;
    }
    const now = new Set<DocumentEntry>();
    for (const item of scoped) now.add(item.entry);
    for (const entry of this.declaring)
      if (!now.has(entry)) this.overlapCache.declare(declaredFiles(entry), -1);
    for (const entry of now)
      if (!this.declaring.has(entry)) this.overlapCache.declare(declaredFiles(entry), 1);
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

  private checkTools(scoped: readonly ScopedEntry[]): Finding[] {
    const profiles = this.toolProfiles;
    if (!profiles || profiles.ids === null) return [];
    const findings: Finding[] = [];
    for (const item of scoped) {
      if (this.batch) {
        findings.push(...toolFindings(item, profiles.ids));
        continue;
      }
      let cached = this.toolResults.get(item.entry);
      if (!cached || cached.profiles !== profiles) {
        cached = { profiles, findings: toolFindings(item, profiles.ids) };
        this.toolResults.set(item.entry, cached);
      }
      findings.push(...cached.findings);
    }
    return findings;
  }
}

function toolFindings(item: ScopedEntry, ids: ReadonlySet<string>): Finding[] {
  const value = item.entry.value as Record<string, unknown>;
  const findings: Finding[] = [];
  const check = (name: unknown, path: (string | number)[], field: string): void => {
    if (typeof name !== "string" || ids.has(name)) return;
    findings.push({
      ...where(item),
      path,
      type: "config",
      severity: "error",
      message: `Unknown tool profile "${name}" in ${field}; defined profiles: ${[...ids].sort().join(", ")}.`,
    });
  };
  check(value.tool, ["tool"], "tool");
  for (const field of ["static_tools", "runtime_tools"] as const) {
    const list = value[field];
    if (Array.isArray(list)) list.forEach((name, position) => check(name, [field, position], field));
  }
  return findings;
}

function where(item: ScopedEntry): { uri: string; index: number | null; id: string } {
  return { uri: item.document.uri, index: item.entry.index, id: item.id };
}

/** Rules 3–5: duplicates, unknown dependencies and cycles, with the graph they were computed on. */
function graphFindings(scoped: readonly ScopedEntry[]): {
  graph: DependencyGraph;
  findings: Finding[];
} {
  const findings: Finding[] = [];
  const graph = new DependencyGraph(
    scoped.map((item) => item.id),
    scoped.map((item) => item.entry.dependsOn),
  );
  // The first definition of an id is its node; later ones are duplicates of it.
  const definition: ScopedEntry[] = [];
  let duplicated: Map<string, ScopedEntry[]> | undefined;
  for (const item of scoped) {
    const node = graph.nodes.get(item.id)!;
    const first = definition[node];
    if (first === undefined) definition[node] = item;
    else {
      duplicated ??= new Map();
      (duplicated.get(item.id) ?? duplicated.set(item.id, [first]).get(item.id)!).push(item);
    }
  }
  for (const [id, owners] of duplicated ?? [])
    for (const owner of owners) {
      const elsewhere = owners
        .filter((other) => other !== owner)
        .map((other) =>
          other.entry.index === null ? other.document.uri : `${other.document.uri} [${other.entry.index}]`,
        );
      findings.push({
        ...where(owner),
        path: ["id"],
        type: "duplicate",
        severity: "error",
        message: `Duplicate id "${id}": also defined in ${elsewhere.join(", ")}.`,
      });
    }
  for (const item of scoped) {
    const { dependsOn } = item.entry;
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
      const item = definition[graph.nodes.get(member)!];
      const step = cycle.path.indexOf(member);
      const next = step >= 0 ? cycle.path[step + 1] : undefined;
      const position = next === undefined ? -1 : item.entry.dependsOn.indexOf(next);
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
    if (a.entry !== b.entry && !same(a, b)) return true;
  }
  return false;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function samePlace(a: ScopedEntry, b: ScopedEntry): boolean {
  return a.id === b.id && a.document.uri === b.document.uri && a.entry.index === b.entry.index;
}

function sameGraphInputs(a: ScopedEntry, b: ScopedEntry): boolean {
  return samePlace(a, b) && sameList(a.entry.dependsOn, b.entry.dependsOn);
}

function sameScopeInputs(a: ScopedEntry, b: ScopedEntry): boolean {
  return (
    samePlace(a, b) &&
    sameList(a.entry.filesScope, b.entry.filesScope) &&
    sameList(a.entry.filesCreate, b.entry.filesCreate)
  );
}

const emptyResult: ValidationResult = { bundles: [], diagnostics: [] };
