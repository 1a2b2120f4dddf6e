/**
 * Coverage per defined tag: does a bundle claim it, does code refer to it, do tests refer to it.
 * A tag counts as covered when it is implemented (a bundle or code refers to it) and verified (a
 * test refers to it); the percentage is covered tags over defined tags.
 */
import { type SpecIndex } from "./specIndex";

export interface TagCoverage {
  idx: string;
  file: string;
  line: number;
  description: string;
  /** Repo-relative paths, sorted, of the files of each kind that refer to the tag. */
  bundles: string[];
  code: string[];
  tests: string[];
  covered: boolean;
}

export interface CoverageReport {
  tags: TagCoverage[];
  coveredCount: number;
  /** Covered over defined tags, 0–100; undefined when no tag is defined. */
  percent: number | undefined;
}

export function computeCoverage(index: SpecIndex): CoverageReport {
  const tags: TagCoverage[] = [];
  for (const idx of index.definedTags()) {
    const definition = index.definitionOf(idx)!;
    const filesOf = (kind: string): string[] => [
      ...new Set(
        index
          .referencesOf(idx)
          .filter((reference) => index.kindOf(reference.file) === kind)
          .map((reference) => reference.file),
      ),
    ];
    const bundles = filesOf("bundle");
    const code = filesOf("code");
    const tests = filesOf("test");
    tags.push({
      idx,
      file: definition.file,
      line: definition.line,
      description: definition.description,
      bundles,
      code,
      tests,
      covered: (bundles.length > 0 || code.length > 0) && tests.length > 0,
    });
  }
  const coveredCount = tags.filter((tag) => tag.covered).length;
  return {
    tags,
    coveredCount,
    percent: tags.length === 0 ? undefined : (coveredCount * 100) / tags.length,
  };
}
