/** The shapes the check engine works with: issues, tool output, plugins and per-file results. */

export type IssueCategory =
  "syntax" | "type" | "style" | "formatting" | "security" | "test_failure" | "other";
export type IssueSeverity = "error" | "warning" | "info";

/** One problem a tool found, in the original pipeline's shape. Line and column are 1-based; 0 = unknown. */
export interface Issue {
  tool: string;
  path: string;
  line: number;
  column: number;
  code: string;
  category: IssueCategory;
  severity: IssueSeverity;
  message: string;
}

/** What a finished tool process produced. */
export interface ToolOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** A command to run without a shell: the executable and its arguments. */
export interface CommandSpec {
  command: string;
  args: string[];
}

/** What a plugin's command builder learns about the workspace. */
export interface CommandContext {
  /** The first of the plugin's `configFiles` that exists in the working directory, if any. */
  configFile: string | undefined;
}

interface PluginBase {
  id: string;
  description: string;
  /** Globs matched against the path relative to the working directory; `*.ts` also matches `src/a.ts`. */
  patterns: string[];
  /** Plugin ids this one must run after (when both apply). */
  requires: string[];
}

/** A plugin that runs an external tool once over a batch of files. */
export interface ToolPlugin extends PluginBase {
  kind: "tool";
  /** Run this to tell whether the tool is installed: exit 0 means yes, and its output is its version. */
  detect: CommandSpec;
  /** Config files that change the tool's verdict; the first present one is passed to `command`. */
  configFiles?: string[];
  /** When true the plugin only applies where one of `configFiles` exists (eslint without a config errs). */
  requiresConfig?: boolean;
  command(files: string[], context: CommandContext): CommandSpec;
  /** The tool's fix modes, run in order by `--fix`. */
  fix?(files: string[], context: CommandContext): CommandSpec[];
  /** Exit codes that mean "the tool ran" (with or without findings); anything else is a tool failure. */
  successCodes: number[];
  /** Turns the tool's output into issues; pure. Paths are as the tool printed them. */
  parse(output: ToolOutput): Issue[];
  /**
   * True when the tool stopped before checking everything (tsc reports no type errors once any file
   * has a syntax error): files it found nothing in were not really checked, so they are not PASSED.
   */
  stoppedEarly?(issues: readonly Issue[]): boolean;
}

/** A plugin checked in process, file by file, with no tool to install. */
export interface InProcessPlugin extends PluginBase {
  kind: "in-process";
  check(path: string, content: string): Issue[];
}

export type CheckPlugin = ToolPlugin | InProcessPlugin;

export type FileStatus = "PASSED" | "FAILED" | "SKIPPED";

/** The verdict on one file. */
export interface FileResult {
  path: string;
  status: FileStatus;
  errors: number;
  warnings: number;
  issues: Issue[];
  /** Plugins that checked the file. */
  ran: string[];
  /** Plugins that apply but whose tool is not installed: the reason a file is SKIPPED. */
  skipped: string[];
  /** True when the result came from the cache because neither the file nor the toolchain changed. */
  cached: boolean;
}
