/**
 * Validation of a whole workstreams directory, incrementally: each document's own checks are cached
 * per text, and the cross-file checks (duplicates, dependencies, cycles, overlaps, tool ids) rerun
 * over the cached entries on every change, so every affected file's diagnostics stay right.
 */
import { compareDiagnostics, type Diagnostic } from "./diagnostics";
import { parseDocument, type DocumentEntry, type ParsedDocument } from "./document";
import { byUri, indexByUri, latestByUri } from "./documentOrder";
import { type DependencyGraph, Ordering } from "./graph";
import { graphFindings } from "./graphFindings";
import { OverlapCache, overlapFindings, sharedFiles, type ScopedEntry } from "./overlaps";
import { type Finding } from "./findings";
import { changed, sameGraphInputs, sameScopeInputs } from "./stageInputs";
import { noFindings, toolFindings } from "./toolFindings";
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

const emptyResult: ValidationResult = { bundles: [], diagnostics: [] };
