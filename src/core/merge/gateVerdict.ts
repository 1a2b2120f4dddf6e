/**
 * What a red gate means. A candidate's red gate runs once more on the candidate: green then means
 * the gate is flaky (the workstream merges, the flake is recorded). Red twice, the gate runs on the
 * integration head without the workstream: red there too means the failure was already there (the
 * queue stops and blames no one); green means the workstream broke it.
 */

export type GateTarget = "candidate" | "head";

export interface GateRun {
  target: GateTarget;
  passed: boolean;
}

export type GateVerdict = "green" | "flaky" | "broken_by_workstream" | "already_failing";

/** The next gate run to make after `runs` (in order), or the verdict when they settle it. */
export function nextGateStep(runs: readonly GateRun[]): { run: GateTarget } | { verdict: GateVerdict } {
  const [first, second, third] = runs;
  if (first === undefined) return { run: "candidate" };
  if (first.passed) return { verdict: "green" };
  if (second === undefined) return { run: "candidate" };
  if (second.passed) return { verdict: "flaky" };
  if (third === undefined) return { run: "head" };
  return { verdict: third.passed ? "broken_by_workstream" : "already_failing" };
}
