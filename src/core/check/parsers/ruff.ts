import { type Issue, type ToolOutput } from "../types";
import { asNumber, asString, isRecord, parseJsonOutput } from "./common";

/**
 * Parses `ruff check --output-format json`: an array of {code, message, filename, location{row,column}}.
 * A null code is a syntax error; `S` codes are flake8-bandit's, so security; the rest is style.
 */
export function parseRuff(output: ToolOutput): Issue[] {
  const report = parseJsonOutput(output.stdout);
  if (!Array.isArray(report)) return [];
  return report.filter(isRecord).map((entry): Issue => {
    const code = asString(entry.code);
    const location = isRecord(entry.location) ? entry.location : {};
    return {
      tool: "ruff",
      path: asString(entry.filename),
      line: asNumber(location.row),
      column: asNumber(location.column),
      code: code === "" ? "syntax-error" : code,
      category: code === "" ? "syntax" : /^S\d/.test(code) ? "security" : "style",
      severity: "error",
      message: asString(entry.message),
    };
  });
}
