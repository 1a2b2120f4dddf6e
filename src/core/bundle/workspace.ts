/**
 * Validation of a whole workstreams directory, incrementally: each document's own checks are cached
 * per text, and the cross-file checks (duplicates, dependencies, cycles, overlaps, tool ids) rerun
 * over the cached entries on every change, so every affected file's diagnostics stay right.
 */
import { compareDiagnostics, type Diagnostic } from "./diagnostics";
import { parseDocument, type ParsedDocument } from "./document";
import { FileIndex } from "./globs";
import { findCycles, Ordering } from "./graph";
import { checkOverlaps, declaredFiles, OverlapCache, type ScopedEntry } from "./overlaps";
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
  const workspace = new BundleWorkspace(options);
  for (const document of documents) workspace.setDocument(document.uri, document.text, { deferred: true });
  return workspace.result();
}

/** The loaded set the editor keeps: change one document, get the whole set's result back. */
export class BundleWorkspace {
  private readonly documents = new Map<string, ParsedDocument>();
  /** The last parse of a document that was not broken, so a typo does not hide its bundles elsewhere. */
  private readonly lastGood = new Map<string, ParsedDocument>();
  private readonly overlapCache: OverlapCache;
  private toolProfiles: ToolProfileIds | undefined;
  private declaredKey = "";
  private declaredIndex = new FileIndex([]);
  private declaredVersion = 0;
  private current: ValidationResult | undefined;

  constructor(options: WorkspaceOptions) {
    this.overlapCache = new OverlapCache(options.trackedFiles);
    this.toolProfiles = options.toolProfiles;
  }

  /** Sets (or replaces) one document's text and returns the whole set's result. */
  setDocument(uri: string, text: string, options: { deferred?: boolean } = {}): ValidationResult {
    const known = this.documents.get(uri);
    if (!known || known.text !== text) {
      const parsed = parseDocument(uri, text);
      this.documents.set(uri, parsed);
      if (!parsed.broken) this.lastGood.set(uri, parsed);
    }
    this.current = undefined;
    return options.deferred ? emptyResult : this.result();
  }

  removeDocument(uri: string): ValidationResult {
    this.documents.delete(uri);
    this.lastGood.delete(uri);
    this.current = undefined;
    return this.result();
  }

  setTrackedFiles(files: Iterable<string>): ValidationResult {
    this.overlapCache.setTrackedFiles(files);
    this.declaredVersion++;
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
      const document = this.documents.get(uri)!;
      diagnostics.push(...document.diagnostics);
      for (const entry of document.entries)
        if (entry.bundle) bundles.push({ bundle: entry.bundle, source: { file: uri, index: entry.index } });
      // A broken document still takes part with its last good entries, but gets no cross-file
      // diagnostics of its own: their positions would be stale.
      const source = document.broken ? this.lastGood.get(uri) : document;
      if (!source) continue;
      for (const entry of source.entries)
        if (entry.id !== undefined) scoped.push({ document: source, entry, id: entry.id });
    }
    const visible = (item: ScopedEntry): boolean => !this.documents.get(item.document.uri)!.broken;
    const crossFile: Diagnostic[] = [];

    const byId = new Map<string, ScopedEntry[]>();
    for (const item of scoped) (byId.get(item.id) ?? byId.set(item.id, []).get(item.id)!).push(item);
    for (const [id, owners] of byId) {
      if (owners.length < 2) continue;
      for (const owner of owners) {
        const elsewhere = owners
          .filter((other) => other !== owner)
          .map((other) =>
            other.entry.index === null ? other.document.uri : `${other.document.uri} [${other.entry.index}]`,
          );
        if (visible(owner))
          crossFile.push(
            owner.document.at(
              at(owner, "id"),
              "duplicate",
              "error",
              `Duplicate id "${id}": also defined in ${elsewhere.join(", ")}.`,
              { id },
            ),
          );
      }
    }

    const graph = new Map<string, string[]>();
    for (const item of scoped) {
      if (graph.has(item.id)) continue; // the first definition of a duplicate id stands for it
      graph.set(
        item.id,
        item.entry.dependsOn.filter((dependency) => byId.has(dependency)),
      );
      if (!visible(item)) continue;
      item.entry.dependsOn.forEach((dependency, position) => {
        if (!byId.has(dependency))
          crossFile.push(
            item.document.at(
              at(item, "depends_on", position),
              "dependency",
              "error",
              `Unknown dependency "${dependency}": no bundle in the workstreams directory has this id.`,
              { id: item.id },
            ),
          );
      });
    }

    for (const cycle of findCycles(graph)) {
      const text = cycle.path.join(" → ");
      for (const member of cycle.members) {
        const item = byId.get(member)![0]!;
        if (!visible(item)) continue;
        const step = cycle.path.indexOf(member);
        const next = step >= 0 ? cycle.path[step + 1] : undefined;
        const position = next === undefined ? -1 : item.entry.dependsOn.indexOf(next);
        const path = position >= 0 ? at(item, "depends_on", position) : at(item, "depends_on");
        crossFile.push(
          item.document.at(path, "cycle", "error", `Dependency cycle: ${text}.`, { id: member }),
        );
      }
    }

    this.refreshDeclared(scoped);
    const ordering = new Ordering(graph);
    const overlaps = checkOverlaps(
      scoped,
      ordering,
      this.overlapCache,
      this.declaredIndex,
      this.declaredVersion,
    );
    crossFile.push(...overlaps.filter((diagnostic) => !this.documents.get(diagnostic.file)?.broken));

    crossFile.push(...this.checkTools(scoped.filter(visible)));
    diagnostics.push(...crossFile);
    diagnostics.sort(compareDiagnostics);
    return { bundles, diagnostics };
  }

  private refreshDeclared(scoped: readonly ScopedEntry[]): void {
    const files = new Set<string>();
    for (const item of scoped) for (const file of declaredFiles(item.entry)) files.add(file);
    const key = [...files].sort().join("\n");
    if (key === this.declaredKey) return;
    this.declaredKey = key;
    this.declaredIndex = new FileIndex(files);
    this.declaredVersion++;
  }

  private checkTools(scoped: readonly ScopedEntry[]): Diagnostic[] {
    const profiles = this.toolProfiles;
    if (!profiles) return [];
    if (profiles.ids === null) {
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
    const ids = profiles.ids;
    const known = [...ids].sort().join(", ");
    const diagnostics: Diagnostic[] = [];
    for (const item of scoped) {
      const value = item.entry.value as Record<string, unknown>;
      const check = (name: unknown, path: (string | number)[], field: string): void => {
        if (typeof name !== "string" || ids.has(name)) return;
        diagnostics.push(
          item.document.at(
            at(item, ...path),
            "config",
            "error",
            `Unknown tool profile "${name}" in ${field}; defined profiles: ${known}.`,
            {
              id: item.id,
            },
          ),
        );
      };
      check(value.tool, ["tool"], "tool");
      for (const field of ["static_tools", "runtime_tools"] as const) {
        const list = value[field];
        if (Array.isArray(list)) list.forEach((name, position) => check(name, [field, position], field));
      }
    }
    return diagnostics;
  }
}

const emptyResult: ValidationResult = { bundles: [], diagnostics: [] };

function at(item: ScopedEntry, ...path: (string | number)[]): (string | number)[] {
  return item.entry.index === null ? path : [item.entry.index, ...path];
}
