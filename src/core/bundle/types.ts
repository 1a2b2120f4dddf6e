/**
 * The workstream bundle as the rest of the product sees it, after parsing and normalisation.
 * Field names keep the original pipeline's snake_case so existing bundles read unchanged.
 */

/** One deterministic edit for the scripted editor: exactly one of write, replace, append, delete. */
export interface ScriptedEdit {
  path: string;
  /** Replace the whole file with this text (creating it when missing). */
  write?: string;
  /** Replace the first occurrence of `find` with `replace`. */
  find?: string;
  replace?: string;
  /** Append this text to the file (creating it when missing). */
  append?: string;
  /** Delete the file. */
  delete?: boolean;
}

/** Edits the scripted editor applies: `edit` on EDIT, `fix[n]` on the n-th FIX attempt. */
export interface ScriptedEdits {
  edit?: ScriptedEdit[];
  fix?: ScriptedEdit[][];
}

/** Per-bundle circuit-breaker overrides; the original's three keys plus the ones running needs. */
export interface BundleCircuitBreaker {
  max_attempts?: number;
  max_fix_attempts?: number;
  max_error_repeats?: number;
  oscillation_threshold?: number;
  oscillation_window?: number;
  max_wall_clock_sec?: number;
  max_cost_usd?: number;
  /** Overrides for one step only; they win over the bundle-level values for that step. */
  per_step?: Partial<Record<BreakerStep, StepBreakerOverrides>>;
  [key: string]: unknown;
}

/** The steps a per-step breaker override can name. */
export type BreakerStep = "EDIT" | "STATIC" | "RUNTIME";

/** The breaker keys that make sense for a single step. */
export interface StepBreakerOverrides {
  max_fix_attempts?: number;
  max_error_repeats?: number;
  oscillation_threshold?: number;
  oscillation_window?: number;
  max_wall_clock_sec?: number;
}

export interface Bundle {
  id: string;
  title?: string;
  openspec_change: string;
  ccpm_issue: number | string;
  gate: number;
  files_scope: string[];
  files_create: string[];
  tasks: string[];
  acceptance_tests: string[];
  depends_on: string[];
  /** Edit tool profile id, e.g. `aider`, `codex`, `claude-code`, `scripted`. */
  tool: string;
  /** Capability to route through the AI tool registry when no fixed tool is wanted. */
  capability?: string;
  /** Static tool profile ids run in STATIC (e.g. `tsc`, `eslint`). */
  static_tools?: string[];
  /** Runtime tool profile ids run in RUNTIME besides the acceptance tests. */
  runtime_tools?: string[];
  /** `none` runs the checks and acceptance tests with a private loopback only (see src/core/sandbox). */
  network?: "host" | "none";
  /** Whether a person approves the finished work before the merge queue takes it (see src/core/merge/review.ts). */
  review?: "required" | "optional";
  /** Overrides config/worktree.yaml for this workstream, key by key (see src/core/worktree/settings.ts). */
  worktree?: Record<string, unknown>;
  circuit_breaker?: BundleCircuitBreaker;
  scripted_edits?: ScriptedEdits;
  metadata?: Record<string, unknown>;
}

/** Where a bundle came from: the file and its index when the file holds an array. */
export interface BundleSource {
  file: string;
  index: number | null;
}

export interface LoadedBundle {
  bundle: Bundle;
  source: BundleSource;
}
