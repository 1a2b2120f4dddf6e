/** `wsp spec coverage`: per defined tag, whether a bundle, code and tests refer to it; gates on --min. */
import { UserError } from "../../../core/errors";
import { computeCoverage, type CoverageReport } from "../../../core/spec/coverage";
import { type CommandIO } from "../../io";
import { loadSpecContext, reportDiagnostics, scanSpecs, type SpecCommonOptions } from "./context";

export interface SpecCoverageOptions extends SpecCommonOptions {
  json?: boolean;
  /** Minimum covered percentage (0–100); below it the command exits 1. */
  min?: string;
}

const COVERED_MEANS = "a bundle or code refers to the tag, and a test does";

export async function specCoverage(options: SpecCoverageOptions, io: CommandIO): Promise<number> {
  const min = parseMin(options.min);
  const context = await loadSpecContext(io, options);
  const { index } = await scanSpecs(io, context, { ...options, kinds: ["doc", "bundle", "code", "test"] });
  const report = computeCoverage(index);
  const passed = min === undefined || report.percent === undefined || report.percent >= min;
  if (options.json === true) {
    io.out(
      `${JSON.stringify(
        {
          total: report.tags.length,
          covered: report.coveredCount,
          percent: report.percent ?? null,
          min: min ?? null,
          passed,
          tags: report.tags,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    io.out(renderText(report));
  }
  reportDiagnostics(io, index.diagnostics());
  if (report.percent === undefined) io.err("wsp: warning: no IDX tags are defined in the spec docs\n");
  if (!passed) {
    io.err(`wsp: spec coverage ${formatPercent(report.percent!)} is below --min ${min}%\n`);
    return 1;
  }
  return 0;
}

function parseMin(min: string | undefined): number | undefined {
  if (min === undefined) return undefined;
  const value = Number(min);
  if (min.trim() === "" || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new UserError(`--min must be a percentage between 0 and 100, not '${min}'`);
  }
  return value;
}

function renderText(report: CoverageReport): string {
  if (report.tags.length === 0) return "No IDX tags are defined in the spec docs.\n";
  const width = Math.max(3, ...report.tags.map((tag) => tag.idx.length));
  const mark = (files: string[]): string => (files.length > 0 ? `yes (${files.length})` : "no").padEnd(9);
  const lines = [
    `${"IDX".padEnd(width)}  ${"BUNDLE".padEnd(9)}${"CODE".padEnd(9)}${"TESTS".padEnd(9)}COVERED`,
  ];
  for (const tag of report.tags) {
    lines.push(
      `${tag.idx.padEnd(width)}  ${mark(tag.bundles)}${mark(tag.code)}${mark(tag.tests)}${tag.covered ? "yes" : "no"}`,
    );
  }
  lines.push(
    "",
    `${report.coveredCount} of ${report.tags.length} tags covered (${formatPercent(report.percent!)}); covered = ${COVERED_MEANS}.`,
  );
  return `${lines.join("\n")}\n`;
}

function formatPercent(percent: number): string {
  return `${percent.toFixed(1)}%`;
}
