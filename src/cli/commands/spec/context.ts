/** What every `wsp spec` command starts from: the repository root, the configuration, the scan. */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { UserError } from "../../../core/errors";
import { type SpecDiagnostic, type SpecFileKind, type TagOccurrence } from "../../../core/spec/types";
import { type CommandIO } from "../../io";
import { type DocTags } from "../../../core/spec/docTags";
import { buildSpecIndex, collectDocTags, type BuiltSpecIndex } from "../../../node/spec/buildIndex";
import { DEFAULT_SPEC_CONFIG_PATH, loadSpecConfig, type SpecConfig } from "../../../node/spec/config";
import { findRepositoryRoot, type FileProblem } from "../../../node/spec/files";
import { locateRipgrep } from "../../../node/spec/ripgrepLines";

export interface SpecCommonOptions {
  /** Scan this directory's `.md`/`.txt` files instead of the configured docs globs. */
  docsDir?: string;
  /** The mapping/scan configuration, relative to the current directory; default config/spec_mapping.yaml at the root. */
  config?: string;
}

export interface SpecContext {
  root: string;
  config: SpecConfig;
}

export async function loadSpecContext(io: CommandIO, options: SpecCommonOptions): Promise<SpecContext> {
  const root = findRepositoryRoot(io.cwd);
  const config =
    options.config === undefined
      ? await loadSpecConfig(root, DEFAULT_SPEC_CONFIG_PATH)
      : await loadSpecConfig(io.cwd, options.config, { required: true });
  return { root, config };
}

/** The docs directory `--docs-dir` names, relative to the root; a UserError when it is not one. */
function resolveDocsDir(
  io: CommandIO,
  context: SpecContext,
  docsDir: string | undefined,
): string | undefined {
  if (docsDir === undefined) return undefined;
  const absolute = path.resolve(io.cwd, docsDir);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
    throw new UserError(`--docs-dir ${docsDir}: no such directory`);
  }
  return path.relative(context.root, absolute);
}

/** Scans the kinds asked for and reports unreadable files on stderr; the scan itself goes on. */
export async function scanSpecs(
  io: CommandIO,
  context: SpecContext,
  options: SpecCommonOptions & { kinds: SpecFileKind[]; excludeDocs?: string[] },
): Promise<BuiltSpecIndex> {
  const docsDir = resolveDocsDir(io, context, options.docsDir);
  const kinds = new Set(options.kinds);
  const needsRepository = kinds.has("code") || kinds.has("test") || kinds.has("bundle");
  const built = await buildSpecIndex({
    root: context.root,
    scan: context.config.scan,
    kinds,
    ...(docsDir === undefined ? {} : { docsDir }),
    ...(options.excludeDocs === undefined ? {} : { excludeDocs: options.excludeDocs }),
    ...(needsRepository
      ? {
          listRepositoryFiles: async () => {
            const { listRepositoryFiles } = await import("../../../node/git");
            return listRepositoryFiles(context.root);
          },
        }
      : {}),
  });
  reportProblems(io, built.problems);
  return built;
}

/**
 * Scans the docs alone in one pass (see `collectDocTags`), reporting unreadable files. With
 * `onFile`, occurrences are handed over file by file instead of being returned.
 */
export async function scanDocs(
  io: CommandIO,
  context: SpecContext,
  options: SpecCommonOptions,
  onFile?: (file: string, occurrences: readonly TagOccurrence[]) => Promise<void> | undefined,
): Promise<DocTags> {
  const docsDir = resolveDocsDir(io, context, options.docsDir);
  const ripgrep = locateRipgrep(io.env, io.cwd);
  const collected = await collectDocTags(
    {
      root: context.root,
      scan: context.config.scan,
      ...(docsDir === undefined ? {} : { docsDir }),
      ...(ripgrep === undefined ? {} : { ripgrep }),
    },
    onFile,
  );
  reportProblems(io, collected.problems);
  return collected;
}

export function reportProblems(io: CommandIO, problems: readonly FileProblem[]): void {
  if (problems.length === 0) return;
  io.err(
    problems.map((problem) => `wsp: warning: cannot read ${problem.file}: ${problem.message}\n`).join(""),
  );
}

/** Diagnostics in the `file:line:column: severity: message` form editors and CI logs link, in one write. */
export function reportDiagnostics(io: CommandIO, diagnostics: readonly SpecDiagnostic[]): void {
  if (diagnostics.length === 0) return;
  io.err(
    diagnostics
      .map(
        ({ file, line, column, severity, message }) => `${file}:${line}:${column}: ${severity}: ${message}\n`,
      )
      .join(""),
  );
}
