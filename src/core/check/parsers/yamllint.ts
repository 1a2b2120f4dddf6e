import { type Issue, type ToolOutput } from "../types";
import { lines } from "./common";

const LINE = /^(.+?):(\d+):(\d+): \[(error|warning)\] (.*?)(?: \(([\w-]+)\))?$/;

/** Parses `yamllint -f parsable`: `file:line:col: [error] message (rule)`; the `syntax` rule is a syntax error. */
export function parseYamllint(output: ToolOutput): Issue[] {
  const issues: Issue[] = [];
  for (const line of lines(output.stdout)) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, path, row, column, level, message, rule] = match as unknown as (string | undefined)[];
    issues.push({
      tool: "yamllint",
      path: path!,
      line: Number(row),
      column: Number(column),
      code: rule ?? "yamllint",
      category: rule === "syntax" ? "syntax" : "style",
      severity: level === "error" ? "error" : "warning",
      message: message!,
    });
  }
  return issues;
}
