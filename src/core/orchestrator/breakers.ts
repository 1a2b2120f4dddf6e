/**
 * Circuit breakers: the limits that keep a FIX loop bounded. Config comes from
 * `config/circuit_breakers.yaml` (defaults, per_step, per_bundle) and the bundle's own
 * `circuit_breaker`; later layers win. A trip names the limit that fired and why.
 */
import { UserError } from "../errors";
import { type BundleCircuitBreaker } from "../bundle/types";

export type FixableStep = "static" | "runtime";

/** The limits for one step of one workstream, after all layers are merged. */
export interface StepLimits {
  /** Runs of the step, the first one included. */
  max_attempts_per_step: number;
  max_fix_attempts_per_step: number;
  /** How often the same normalised error may be seen before giving up. */
  max_attempts_per_error_signature: number;
  oscillation_window: number;
  oscillation_threshold: number;
  fix_enabled: boolean;
}

/** Budgets for a whole workstream. */
export interface WorkstreamBudgets {
  max_wall_clock_sec: number;
  max_cost_usd: number;
}

type LimitLayer = Partial<StepLimits & WorkstreamBudgets & { enable_fix_for_steps: string[] }>;

export interface BreakerConfig {
  defaults: LimitLayer;
  per_step: Partial<Record<FixableStep, LimitLayer>>;
  per_bundle: Record<string, LimitLayer & { per_step?: Partial<Record<FixableStep, LimitLayer>> }>;
}

/** The built-in values, used for any key the file leaves out. */
export const BUILTIN_BREAKERS: Required<Omit<LimitLayer, "fix_enabled">> = {
  max_attempts_per_step: 3,
  max_fix_attempts_per_step: 2,
  max_attempts_per_error_signature: 2,
  oscillation_window: 4,
  oscillation_threshold: 2,
  enable_fix_for_steps: ["static", "runtime"],
  max_wall_clock_sec: 3600,
  max_cost_usd: 10,
};

const NUMBER_KEYS = [
  "max_attempts_per_step",
  "max_fix_attempts_per_step",
  "max_attempts_per_error_signature",
  "oscillation_window",
  "oscillation_threshold",
  "max_wall_clock_sec",
  "max_cost_usd",
] as const;

/** Aliases: the bundle schema's short names and kebab-case spellings. */
const KEY_ALIASES: Record<string, (typeof NUMBER_KEYS)[number]> = {
  max_attempts: "max_attempts_per_step",
  max_fix_attempts: "max_fix_attempts_per_step",
  max_error_repeats: "max_attempts_per_error_signature",
};

function readLayer(raw: unknown, where: string): LimitLayer {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) throw new UserError(`${where}: expected a mapping`);
  const layer: LimitLayer = {};
  for (const [rawKey, value] of Object.entries(raw)) {
    const snake = rawKey.replace(/-/g, "_");
    const key: string = KEY_ALIASES[snake] ?? snake;
    if ((NUMBER_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== "number" || !(value >= 0))
        throw new UserError(`${where}.${rawKey}: expected a non-negative number`);
      layer[key as (typeof NUMBER_KEYS)[number]] = value;
    } else if (key === "enable_fix_for_steps") {
      if (!Array.isArray(value)) throw new UserError(`${where}.${rawKey}: expected a list of step names`);
      layer.enable_fix_for_steps = value.map(String);
    }
    // Other keys (per_step inside per_bundle, comments-as-keys) are read by the caller or ignored.
  }
  return layer;
}

function readPerStep(raw: unknown, where: string): Partial<Record<FixableStep, LimitLayer>> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) throw new UserError(`${where}: expected a mapping`);
  const out: Partial<Record<FixableStep, LimitLayer>> = {};
  for (const [step, layer] of Object.entries(raw)) {
    if (step !== "static" && step !== "runtime")
      throw new UserError(`${where}.${step}: unknown step (expected static or runtime)`);
    out[step] = readLayer(layer, `${where}.${step}`);
  }
  return out;
}

/** Parses the breakers file's parsed YAML/JSON; throws a UserError naming the bad key. */
export function parseBreakerConfig(raw: unknown, source = "circuit_breakers.yaml"): BreakerConfig {
  if (raw === undefined || raw === null) return { defaults: {}, per_step: {}, per_bundle: {} };
  if (typeof raw !== "object" || Array.isArray(raw)) throw new UserError(`${source}: expected a mapping`);
  const record = raw as Record<string, unknown>;
  const perBundleRaw = record.per_bundle ?? record["per-bundle"] ?? {};
  if (typeof perBundleRaw !== "object" || perBundleRaw === null)
    throw new UserError(`${source}: per_bundle must be a mapping`);
  const per_bundle: BreakerConfig["per_bundle"] = {};
  for (const [wsId, layer] of Object.entries(perBundleRaw)) {
    const where = `${source}: per_bundle.${wsId}`;
    per_bundle[wsId] = {
      ...readLayer(layer, where),
      per_step: readPerStep((layer as Record<string, unknown> | null)?.per_step, `${where}.per_step`),
    };
  }
  return {
    defaults: readLayer(record.defaults, `${source}: defaults`),
    per_step: readPerStep(record.per_step ?? record["per-step"], `${source}: per_step`),
    per_bundle,
  };
}

function merged(
  config: BreakerConfig,
  wsId: string,
  step: FixableStep | undefined,
  bundle?: BundleCircuitBreaker,
) {
  const perBundle = config.per_bundle[wsId];
  return {
    ...BUILTIN_BREAKERS,
    ...config.defaults,
    ...(step ? config.per_step[step] : {}),
    ...(perBundle ?? {}),
    ...(step ? perBundle?.per_step?.[step] : {}),
    ...readLayer(bundle ?? {}, `bundle ${wsId}: circuit_breaker`),
  };
}

/** The limits for one step: built-ins < defaults < per_step < per_bundle < the bundle's own. */
export function resolveStepLimits(
  config: BreakerConfig,
  wsId: string,
  step: FixableStep,
  bundle?: BundleCircuitBreaker,
): StepLimits {
  const layer = merged(config, wsId, step, bundle);
  return {
    max_attempts_per_step: Math.max(1, layer.max_attempts_per_step),
    max_fix_attempts_per_step: layer.max_fix_attempts_per_step,
    max_attempts_per_error_signature: Math.max(1, layer.max_attempts_per_error_signature),
    oscillation_window: layer.oscillation_window,
    oscillation_threshold: Math.max(2, layer.oscillation_threshold),
    fix_enabled: layer.enable_fix_for_steps.includes(step),
  };
}

export function resolveBudgets(
  config: BreakerConfig,
  wsId: string,
  bundle?: BundleCircuitBreaker,
): WorkstreamBudgets {
  const layer = merged(config, wsId, undefined, bundle);
  return { max_wall_clock_sec: layer.max_wall_clock_sec, max_cost_usd: layer.max_cost_usd };
}

/**
 * The cost budget a config file or the bundle sets for this workstream, or undefined when only the
 * built-in default applies (that one is a backstop, not a promise: no need to say it cannot hold).
 */
export function configuredCostBudget(
  config: BreakerConfig,
  wsId: string,
  bundle?: BundleCircuitBreaker,
): number | undefined {
  return (
    readLayer(bundle ?? {}, `bundle ${wsId}: circuit_breaker`).max_cost_usd ??
    config.per_bundle[wsId]?.max_cost_usd ??
    config.defaults.max_cost_usd
  );
}

export type BreakerName =
  | "max_attempts"
  | "max_fix_attempts"
  | "error_signature"
  | "diff_oscillation"
  | "wall_clock"
  | "cost"
  | "fix_disabled";

export interface BreakerTrip {
  breaker: BreakerName;
  reason: string;
}

/** What one failed attempt of a step left behind, as the breakers see it. */
export interface FailedAttempt {
  signature: string;
  /** Hash of the worktree's diff against the base (tracked changes plus untracked files). */
  diffHash: string;
}

/**
 * The state of one step's FIX loop. Pure: feed it each failed attempt and it says whether another
 * FIX may run or which breaker trips.
 */
export class StepBreakers {
  private attempts = 0;
  private fixes = 0;
  private readonly signatureCounts = new Map<string, number>();
  private readonly diffHistory: string[] = [];

  constructor(
    readonly step: FixableStep,
    readonly limits: StepLimits,
    readonly budgets: WorkstreamBudgets,
  ) {}

  get attemptCount(): number {
    return this.attempts;
  }

  get fixCount(): number {
    return this.fixes;
  }

  /** Records a run of the step (successful or not). */
  recordAttempt(): void {
    this.attempts += 1;
  }

  /** Records that a FIX ran. */
  recordFix(): void {
    this.fixes += 1;
  }

  /** Budgets hold for the workstream as a whole; checked before every tool run too. */
  checkBudgets(elapsedSec: number, costUsd: number): BreakerTrip | undefined {
    if (elapsedSec >= this.budgets.max_wall_clock_sec)
      return {
        breaker: "wall_clock",
        reason: `workstream ran ${elapsedSec.toFixed(1)}s, budget ${this.budgets.max_wall_clock_sec}s`,
      };
    if (costUsd > this.budgets.max_cost_usd)
      return {
        breaker: "cost",
        reason: `workstream cost $${costUsd.toFixed(4)}, budget $${this.budgets.max_cost_usd}`,
      };
    return undefined;
  }

  /** After a failed attempt: undefined when a FIX may run, else the breaker that trips. */
  afterFailure(failure: FailedAttempt, elapsedSec: number, costUsd: number): BreakerTrip | undefined {
    const step = this.step;
    const seen = (this.signatureCounts.get(failure.signature) ?? 0) + 1;
    this.signatureCounts.set(failure.signature, seen);
    const earlier = this.diffHistory.slice(-Math.max(0, this.limits.oscillation_window - 1));
    this.diffHistory.push(failure.diffHash);
    const budget = this.checkBudgets(elapsedSec, costUsd);
    if (budget) return budget;
    if (!this.limits.fix_enabled)
      return { breaker: "fix_disabled", reason: `FIX is not enabled for ${step}` };
    if (this.attempts >= this.limits.max_attempts_per_step)
      return {
        breaker: "max_attempts",
        reason: `${step} ran ${this.attempts} times, limit ${this.limits.max_attempts_per_step}`,
      };
    if (this.fixes >= this.limits.max_fix_attempts_per_step)
      return {
        breaker: "max_fix_attempts",
        reason: `${step} had ${this.fixes} FIX attempts, limit ${this.limits.max_fix_attempts_per_step}`,
      };
    if (seen >= this.limits.max_attempts_per_error_signature)
      return {
        breaker: "error_signature",
        reason: `the same ${step} error (signature ${failure.signature.slice(0, 12)}) was seen ${seen} times, limit ${this.limits.max_attempts_per_error_signature}`,
      };
    const repeats = earlier.filter((hash) => hash === failure.diffHash).length + 1;
    if (this.limits.oscillation_window > 0 && repeats >= this.limits.oscillation_threshold)
      return {
        breaker: "diff_oscillation",
        reason: `the worktree's diff returned to an earlier state (${repeats} times in the last ${this.limits.oscillation_window} attempts)`,
      };
    return undefined;
  }
}
