/**
 * Which workspace files the spec-tag index reads, and as what kind. The globs are the same defaults
 * the `wsp spec` commands use, so the editor and the CLI see the same tags.
 */
import picomatch from "picomatch";
import { DEFAULT_SPEC_GLOBS, SPEC_SOURCE_EXTENSIONS } from "../core/spec/scanDefaults";
import { type SpecFileKind } from "../core/spec/types";

/** Kinds in the order they are tried: a doc is never also code, a test never also code. */
const KIND_GLOBS: [SpecFileKind, readonly string[]][] = [
  ["doc", DEFAULT_SPEC_GLOBS.docs],
  ["bundle", DEFAULT_SPEC_GLOBS.bundles],
  ["test", DEFAULT_SPEC_GLOBS.tests],
  ["code", DEFAULT_SPEC_GLOBS.code],
];

/** The generated map lists every tag; indexing it would make it define them all. */
const EXCLUDED = picomatch([
  ...DEFAULT_SPEC_GLOBS.docsExclude,
  "**/node_modules/**",
  "**/dist/**",
  "**/out/**",
]);
const MATCHERS = KIND_GLOBS.map(([kind, globs]) => [kind, picomatch([...globs])] as const);

/** The kind of a workspace-relative, '/'-separated path, or undefined when the index skips it. */
export function classifySpecFile(file: string): SpecFileKind | undefined {
  if (EXCLUDED(file)) return undefined;
  return MATCHERS.find(([, matches]) => matches(file))?.[0];
}

/** What the editor searches and watches; `classifySpecFile` then picks (VS Code globs cannot nest braces). */
export const SPEC_FILES_GLOB = "**/*.{md,txt,json," + SPEC_SOURCE_EXTENSIONS + "}";
