/** The two output formats of `wsp validate`. */
import path from "node:path";
import { type Diagnostic } from "../../../core/bundle";

/** One entry of the JSON report: the original authoring validator's fields plus ours. */
export interface ReportEntry {
  type: Diagnostic["type"];
  severity: Diagnostic["severity"];
  file: string;
  id: string | null;
  details: string;
  message: string;
  line: number;
  column: number;
  pointer: string;
}

export interface JsonReport {
  ok: boolean;
  bundles_checked: number;
  files_checked: number;
  errors: ReportEntry[];
  warnings: ReportEntry[];
  infos: ReportEntry[];
}

export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative.split(path.sep).join("/");
}

export function textReport(
  cwd: string,
  diagnostics: readonly Diagnostic[],
  bundles: number,
  files: number,
): string {
  const lines = diagnostics.map(
    (d) => `${displayPath(cwd, d.file)}:${d.line}:${d.column}: ${d.severity} ${d.type}: ${d.message}`,
  );
  const count = (severity: Diagnostic["severity"]): number =>
    diagnostics.filter((d) => d.severity === severity).length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  lines.push(
    `${plural(bundles, "bundle")} in ${plural(files, "file")}: ${plural(count("error"), "error")}, ${plural(count("warning"), "warning")}, ${count("info")} info`,
  );
  return lines.join("\n") + "\n";
}

export function jsonReport(
  cwd: string,
  diagnostics: readonly Diagnostic[],
  bundles: number,
  files: number,
): JsonReport {
  const entry = (d: Diagnostic): ReportEntry => ({
    type: d.type,
    severity: d.severity,
    file: displayPath(cwd, d.file),
    id: d.id ?? null,
    details: d.message,
    message: d.message,
    line: d.line,
    column: d.column,
    pointer: d.pointer,
  });
  const errors = diagnostics.filter((d) => d.severity === "error").map(entry);
  return {
    ok: errors.length === 0,
    bundles_checked: bundles,
    files_checked: files,
    errors,
    warnings: diagnostics.filter((d) => d.severity === "warning").map(entry),
    infos: diagnostics.filter((d) => d.severity === "info").map(entry),
  };
}
