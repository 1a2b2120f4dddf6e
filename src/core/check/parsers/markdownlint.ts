import { type Issue, type ToolOutput } from "../types";
import { asNumber, asString, isRecord, parseJsonOutput } from "./common";

/**
 * Parses `markdownlint --json` (markdownlint-cli), which writes a JSON array to stderr:
 * [{fileName, lineNumber, ruleNames, ruleDescription, errorDetail, errorRange, severity}].
 * Nothing on stderr means no findings.
 */
export function parseMarkdownlint(output: ToolOutput): Issue[] {
  const report = parseJsonOutput(output.stderr);
  if (!Array.isArray(report)) return [];
  return report.filter(isRecord).map((entry): Issue => {
    const names = Array.isArray(entry.ruleNames) ? entry.ruleNames.map((name) => asString(name)) : [];
    const range = Array.isArray(entry.errorRange) ? entry.errorRange : [];
    const detail = asString(entry.errorDetail);
    const description = asString(entry.ruleDescription);
    return {
      tool: "markdownlint",
      path: asString(entry.fileName),
      line: asNumber(entry.lineNumber),
      column: asNumber(range[0]),
      code: names.join("/"),
      category: "style",
      severity: asString(entry.severity, "error") === "warning" ? "warning" : "error",
      message: detail === "" ? description : `${description} [${detail}]`,
    };
  });
}
