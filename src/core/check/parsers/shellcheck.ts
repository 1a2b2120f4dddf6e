import { type Issue, type IssueSeverity, type ToolOutput } from "../types";
import { asNumber, asString, isRecord, parseJsonOutput } from "./common";

const SEVERITY: Record<string, IssueSeverity> = {
  error: "error",
  warning: "warning",
  info: "info",
  style: "info",
};

/** Parses `shellcheck -f json1`: {comments: [{file, line, column, level, code, message}]}. SC1xxx are parse errors. */
export function parseShellcheck(output: ToolOutput): Issue[] {
  const report = parseJsonOutput(output.stdout);
  if (!isRecord(report) || !Array.isArray(report.comments)) return [];
  return report.comments.filter(isRecord).map((comment): Issue => {
    const code = asNumber(comment.code);
    const level = asString(comment.level);
    return {
      tool: "shellcheck",
      path: asString(comment.file),
      line: asNumber(comment.line),
      column: asNumber(comment.column),
      code: `SC${code}`,
      category: code >= 1000 && code < 2000 ? "syntax" : level === "style" ? "style" : "other",
      severity: SEVERITY[level] ?? "warning",
      message: asString(comment.message),
    };
  });
}
