import { type FileResult, type FileStatus, type Issue } from "./types";

/**
 * The verdict on a file. Errors fail it. A file is PASSED only when every plugin that applies ran;
 * if one could not (its tool is missing) or none applies, the file is SKIPPED, never PASSED.
 */
export function fileStatus(
  issues: readonly Issue[],
  ran: readonly string[],
  skipped: readonly string[],
): FileStatus {
  if (issues.some((issue) => issue.severity === "error")) return "FAILED";
  if (skipped.length > 0 || ran.length === 0) return "SKIPPED";
  return "PASSED";
}

export function countBySeverity(issues: readonly Issue[]): { errors: number; warnings: number } {
  return {
    errors: issues.filter((issue) => issue.severity === "error").length,
    warnings: issues.filter((issue) => issue.severity === "warning").length,
  };
}

/** Builds a file's result from what the plugins found. */
export function buildFileResult(
  path: string,
  issues: Issue[],
  ran: string[],
  skipped: string[],
  cached = false,
): FileResult {
  return {
    path,
    status: fileStatus(issues, ran, skipped),
    ...countBySeverity(issues),
    issues,
    ran,
    skipped,
    cached,
  };
}

/** The one-line summary per file: `file: PASSED|FAILED|SKIPPED | errors=N warnings=M`. */
export function formatFileLine(result: FileResult): string {
  return `${result.path}: ${result.status} | errors=${result.errors} warnings=${result.warnings}`;
}

/** An issue as one line, for terminals and for the FIX prompt: `path:line:col: severity code message (tool)`. */
export function formatIssue(issue: Issue): string {
  const position = issue.line > 0 ? `:${issue.line}${issue.column > 0 ? `:${issue.column}` : ""}` : "";
  return `${issue.path}${position}: ${issue.severity} ${issue.code}: ${issue.message} (${issue.tool})`;
}

/** Issues that block (hard failures) as the original defined them: syntax, type or test failures. */
export function hasHardFailure(issues: readonly Issue[]): boolean {
  return issues.some(
    (issue) => issue.severity === "error" && ["syntax", "type", "test_failure"].includes(issue.category),
  );
}

/** The version in a tool's `--version` output (`ShellCheck ... version: 0.9.0` → `0.9.0`), else the whole output. */
export function extractVersion(output: string): string {
  const match = /\d+\.\d+(?:\.\d+)?(?:[-+.][0-9A-Za-z.]+)?/.exec(output);
  return match ? match[0] : output.trim();
}
