import { type Issue, type ToolOutput } from "../types";
import { lines } from "./common";

const DIAGNOSTIC = /^(.+?)\((\d+),(\d+)\): (error|warning|message) (TS\d+): (.*)$/;

/**
 * Parses `tsc --pretty false` output: `file(line,col): error TS2322: message`, with indented
 * continuation lines that belong to the message. TS1xxx codes are the parser's, so syntax.
 */
export function parseTsc(output: ToolOutput): Issue[] {
  const issues: Issue[] = [];
  for (const line of lines(output.stdout)) {
    const match = DIAGNOSTIC.exec(line);
    if (match) {
      const [, path, row, column, level, code, message] = match as unknown as string[];
      issues.push({
        tool: "tsc",
        path: path,
        line: Number(row),
        column: Number(column),
        code: code,
        category: /^TS1\d{3}$/.test(code) ? "syntax" : "type",
        severity: level === "error" ? "error" : level === "warning" ? "warning" : "info",
        message: message,
      });
    } else if (/^\s+\S/.test(line) && issues.length > 0) {
      issues[issues.length - 1].message += `\n${line.trim()}`;
    }
  }
  return issues;
}
