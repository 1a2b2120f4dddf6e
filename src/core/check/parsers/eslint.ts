import { type Issue, type ToolOutput } from "../types";
import { asNumber, asString, isRecord, parseJsonOutput } from "./common";

/**
 * Parses `eslint -f json`: one entry per file with its messages. Severity 2 is an error, 1 a
 * warning; a fatal message (no rule) is a parse error, so syntax. "File ignored" notices are not
 * findings about the code and are dropped.
 */
export function parseEslint(output: ToolOutput): Issue[] {
  const report = parseJsonOutput(output.stdout);
  if (!Array.isArray(report)) return [];
  const issues: Issue[] = [];
  for (const file of report) {
    if (!isRecord(file) || !Array.isArray(file.messages)) continue;
    for (const message of file.messages) {
      if (!isRecord(message)) continue;
      const text = asString(message.message);
      if (message.ruleId == null && text.startsWith("File ignored")) continue;
      const fatal = message.fatal === true;
      issues.push({
        tool: "eslint",
        path: asString(file.filePath),
        line: asNumber(message.line),
        column: asNumber(message.column),
        code: asString(message.ruleId, fatal ? "parse-error" : ""),
        category: fatal ? "syntax" : "style",
        severity: asNumber(message.severity) >= 2 ? "error" : "warning",
        message: text,
      });
    }
  }
  return issues;
}
