/** The check engine's public API, for the CLI and the orchestrator's STATIC step. */
export { runCheck, type CheckOptions, type CheckReport, type PluginState } from "./engine";
export { BUILTIN_PLUGINS } from "../../core/check/plugins";
export { formatFileLine, formatIssue, hasHardFailure } from "../../core/check/result";
export type { CheckPlugin, FileResult, Issue, IssueCategory, IssueSeverity } from "../../core/check/types";
