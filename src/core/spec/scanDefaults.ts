/**
 * Which files a spec scan reads by default, as repo-relative picomatch globs: one list shared by the
 * `wsp spec` commands and the editor's index, so both see the same tags.
 */

/** Where `wsp spec map` writes the mapping document; it lists every tag, so it is never indexed. */
export const DEFAULT_MAP_OUTPUT = "docs/spec/spec_index_map.md";

/** The file extensions counted as code or tests, as a brace list's contents. */
export const SPEC_SOURCE_EXTENSIONS =
  "ts,tsx,mts,cts,js,jsx,mjs,cjs,py,go,rs,java,kt,cs,rb,php,sh,ps1,c,h,cc,cpp,hpp,swift,sql";

export const DEFAULT_SPEC_GLOBS = {
  docs: ["docs/**/*.md", "docs/**/*.txt"],
  docsExclude: [DEFAULT_MAP_OUTPUT],
  code: [`{src,lib,scripts}/**/*.{${SPEC_SOURCE_EXTENSIONS}}`],
  tests: [
    `{test,tests}/**/*.{${SPEC_SOURCE_EXTENSIONS}}`,
    `**/*.{test,spec}.{${SPEC_SOURCE_EXTENSIONS}}`,
    `**/__tests__/**/*.{${SPEC_SOURCE_EXTENSIONS}}`,
  ],
  bundles: ["workstreams/*.json"],
} as const;
