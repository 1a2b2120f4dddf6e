import { type Issue, type ToolOutput } from "../types";
import { lines } from "./common";

const UNFORMATTED = /^\[warn\] (.+)$/;
const SYNTAX = /^\[error\] (.+?): (\w*Error): (.*?)(?: \((\d+):(\d+)\))?$/;

/**
 * Parses `prettier --check`: `[warn] <file>` for each unformatted file (an error: CI's
 * `prettier --check` fails on it) and `[error] <file>: SyntaxError: ... (l:c)` when it cannot parse.
 * The summary and code-frame lines are skipped.
 */
export function parsePrettier(output: ToolOutput): Issue[] {
  const issues: Issue[] = [];
  for (const line of lines(`${output.stdout}\n${output.stderr}`)) {
    const syntax = SYNTAX.exec(line);
    if (syntax) {
      const [, path, kind, message, row, column] = syntax as unknown as (string | undefined)[];
      issues.push({
        tool: "prettier",
        path: path!,
        line: Number(row ?? 0),
        column: Number(column ?? 0),
        code: kind!,
        category: "syntax",
        severity: "error",
        message: message!,
      });
      continue;
    }
    const unformatted = UNFORMATTED.exec(line);
    if (unformatted && !/^Code style issues/.test(unformatted[1])) {
      issues.push({
        tool: "prettier",
        path: unformatted[1],
        line: 0,
        column: 0,
        code: "unformatted",
        category: "formatting",
        severity: "error",
        message: "File is not formatted by Prettier (run with --fix to format it).",
      });
    }
  }
  return issues;
}
