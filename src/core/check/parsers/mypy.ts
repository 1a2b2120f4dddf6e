import { type Issue, type ToolOutput } from "../types";
import { lines } from "./common";

const LINE = /^(.+?):(\d+):(?:(\d+):)? (error|warning|note): (.*?)(?: {2}\[([\w-]+)\])?$/;

/**
 * Parses mypy run with `--show-column-numbers --show-error-codes --no-error-summary --no-pretty`:
 * `file:line:col: error: message  [code]`. Notes become info; the `syntax` code is a syntax error.
 */
export function parseMypy(output: ToolOutput): Issue[] {
  const issues: Issue[] = [];
  for (const line of lines(output.stdout)) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, path, row, column, level, message, code] = match as unknown as (string | undefined)[];
    issues.push({
      tool: "mypy",
      path: path!,
      line: Number(row),
      column: Number(column ?? 0),
      code: code ?? (level === "note" ? "note" : "misc"),
      category: code === "syntax" ? "syntax" : "type",
      severity: level === "error" ? "error" : level === "warning" ? "warning" : "info",
      message: message!,
    });
  }
  return issues;
}
