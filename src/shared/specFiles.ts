/**
 * Which workspace files the spec-tag index reads, and as what kind. The globs are the same defaults
 * the `wsp spec` commands use, so the editor and the CLI see the same tags.
 */
import picomatch from "picomatch";
import { type SpecFileKind } from "../core/spec/types";

const SOURCE_EXTENSIONS =
  "ts,tsx,mts,cts,js,jsx,mjs,cjs,py,go,rs,java,kt,cs,rb,php,sh,ps1,c,h,cc,cpp,hpp,swift,sql";

/** Kinds in the order they are tried: a doc is never also code, a test never also code. */
const KIND_GLOBS: [SpecFileKind, string[]][] = [
  ["doc", ["docs/**/*.md", "docs/**/*.txt"]],
  ["bundle", ["workstreams/*.json"]],
  [
    "test",
    [
      `{test,tests}/**/*.{${SOURCE_EXTENSIONS}}`,
      `**/*.{test,spec}.{${SOURCE_EXTENSIONS}}`,
      `**/__tests__/**/*.{${SOURCE_EXTENSIONS}}`,
    ],
  ],
  ["code", [`{src,lib,scripts}/**/*.{${SOURCE_EXTENSIONS}}`]],
];

/** The generated map lists every tag; indexing it would make it define them all. */
const EXCLUDED = picomatch(["docs/spec/spec_index_map.md", "**/node_modules/**", "**/dist/**", "**/out/**"]);
const MATCHERS = KIND_GLOBS.map(([kind, globs]) => [kind, picomatch(globs)] as const);

/** The kind of a workspace-relative, '/'-separated path, or undefined when the index skips it. */
export function classifySpecFile(file: string): SpecFileKind | undefined {
  if (EXCLUDED(file)) return undefined;
  return MATCHERS.find(([, matches]) => matches(file))?.[0];
}

/** What the editor searches and watches; `classifySpecFile` then picks (VS Code globs cannot nest braces). */
export const SPEC_FILES_GLOB = "**/*.{md,txt,json," + SOURCE_EXTENSIONS + "}";
