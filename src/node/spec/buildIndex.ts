/**
 * Builds a SpecIndex from a repository: docs by walking the configured globs, code, tests and
 * bundles from `git ls-files` (a walk outside git), each file read and scanned once.
 */
import path from "node:path";
import picomatch from "picomatch";
import { DocTagCollector, type DocTags } from "../../core/spec/docTags";
import { SpecIndex } from "../../core/spec/specIndex";
import { type SpecFileKind, type TagOccurrence } from "../../core/spec/types";
import { type SpecScanConfig } from "./config";
import { findByGlobs, readTextFile, toIndexPath, walkBases, walkFiles, type FileProblem } from "./files";
import { ripgrepDocLines, sparseText } from "./ripgrepLines";

export interface BuildSpecIndexOptions {
  /** Repository root; every path in the index is relative to it. */
  root: string;
  scan: SpecScanConfig;
  /** Which kinds to collect; `wsp spec index` and `map` need docs only. */
  kinds: ReadonlySet<SpecFileKind>;
  /** Scan this directory's `.md` and `.txt` files (recursively) instead of the `docs` globs. */
  docsDir?: string;
  /** Docs never scanned, as absolute paths (e.g. the map being regenerated). */
  excludeDocs?: string[];
  /** Lists the repository's files for code/test/bundle globs; undefined when not a git repo. */
  listRepositoryFiles?: () => Promise<string[] | undefined>;
}

export interface BuiltSpecIndex {
  index: SpecIndex;
  problems: FileProblem[];
  /** Files read per kind. */
  counts: Record<SpecFileKind, number>;
}

/** The files each kind of scan covers, docs first, each file under one kind. */
export async function listSpecFiles(
  options: BuildSpecIndexOptions,
  problems: FileProblem[],
  /** Receives the docs found that are symbolic links; every other doc is a regular file. */
  docLinks?: Set<string>,
): Promise<Map<string, SpecFileKind>> {
  const { root, scan } = options;
  const kindOf = new Map<string, SpecFileKind>();
  if (options.kinds.has("doc")) {
    const excluded = new Set(
      (options.excludeDocs ?? []).map((file) => toIndexPath(path.relative(root, file))),
    );
    for (const file of collectDocs(options, problems, docLinks))
      if (!excluded.has(file)) kindOf.set(file, "doc");
  }
  const repositoryKinds = (["bundle", "test", "code"] as const).filter((kind) => options.kinds.has(kind));
  if (repositoryKinds.length > 0) {
    const listed = (await options.listRepositoryFiles?.()) ?? walkRepository(root, problems);
    const isExcluded = scan.exclude.length === 0 ? () => false : picomatch(scan.exclude);
    const matchers = {
      bundle: picomatch(scan.bundles),
      test: picomatch(scan.tests),
      code: picomatch(scan.code),
    };
    for (const file of listed) {
      if (kindOf.has(file) || isExcluded(file)) continue;
      const kind = repositoryKinds.find((candidate) => matchers[candidate](file));
      if (kind !== undefined) kindOf.set(file, kind);
    }
  }
  return kindOf;
}

export async function buildSpecIndex(options: BuildSpecIndexOptions): Promise<BuiltSpecIndex> {
  const problems: FileProblem[] = [];
  const kindOf = await listSpecFiles(options, problems);
  const index = new SpecIndex((file) => kindOf.get(file));
  const counts: Record<SpecFileKind, number> = { doc: 0, bundle: 0, code: 0, test: 0 };
  for (const [file, kind] of kindOf) {
    const result = readTextFile(options.root, file);
    if ("problem" in result) {
      problems.push({ file, message: result.problem });
      continue;
    }
    index.updateFile(file, result.text, kind);
    counts[kind] += 1;
  }
  return { index, problems, counts };
}

/**
 * Docs only, in one pass that keeps no per-tag state: what `wsp spec index` needs, and the fastest
 * way to a cold listing of a large docs tree. With `onFile`, each doc's occurrences go there in
 * path order as it is scanned and are not kept (the result's `occurrences` is then empty); when
 * `onFile` returns a promise (its output has to drain), the scan waits for it.
 */
export async function collectDocTags(
  options: Omit<BuildSpecIndexOptions, "kinds" | "listRepositoryFiles"> & {
    /**
     * An rg to do the reading (see ripgrepLines.ts): it searches while Node walks, and Node scans
     * only the lines it prints. The same occurrences and diagnostics, except that offsets count
     * from a stand-in text; without it, or when rg fails, every doc is read here.
     */
    ripgrep?: string;
  },
  onFile?: (file: string, occurrences: readonly TagOccurrence[]) => Promise<void> | undefined,
): Promise<DocTags & { problems: FileProblem[] }> {
  const problems: FileProblem[] = [];
  const links = new Set<string>();
  const printed =
    options.ripgrep === undefined
      ? undefined
      : ripgrepDocLines(options.ripgrep, options.root, docBases(options));
  const kindOf = await listSpecFiles({ ...options, kinds: new Set(["doc"]) }, problems, links);
  const printedLines = await printed;
  const collector = new DocTagCollector({ keepOccurrences: onFile === undefined });
  for (const file of kindOf.keys()) {
    // A symbolic link is read here: rg's walk does not follow one, and reading it checks its target.
    const lines = printedLines === undefined || links.has(file) ? undefined : printedLines.get(file);
    if (printedLines !== undefined && !links.has(file) && lines === undefined) continue; // no line rg printed: no tag
    const sparse = lines === undefined ? undefined : sparseText(lines);
    const result =
      sparse === undefined ? readTextFile(options.root, file, !links.has(file)) : { file, text: sparse };
    if ("problem" in result) problems.push({ file, message: result.problem });
    else {
      const occurrences = collector.add(file, result.text);
      const pending = occurrences.length > 0 ? onFile?.(file, occurrences) : undefined;
      if (pending !== undefined) await pending;
    }
  }
  return { ...collector.result(), problems };
}

/** The folders the docs walk starts from, relative to the root. */
function docBases(options: Pick<BuildSpecIndexOptions, "scan" | "docsDir">): string[] {
  return options.docsDir === undefined ? walkBases(options.scan.docs) : [options.docsDir];
}

function collectDocs(
  options: BuildSpecIndexOptions,
  problems: FileProblem[],
  links: Set<string> | undefined,
): string[] {
  const { root, scan, docsDir } = options;
  if (docsDir === undefined) return findByGlobs(root, scan.docs, scan.docsExclude, problems, links);
  const isDoc = picomatch(["**/*.md", "**/*.txt"]);
  return walkFiles(root, docsDir, (_fromRoot, fromBase) => isDoc(fromBase), problems, links);
}

/** Every file under the root, for a workspace that is not a git repository. */
function walkRepository(root: string, problems: FileProblem[]): string[] {
  return walkFiles(root, "", () => true, problems);
}
