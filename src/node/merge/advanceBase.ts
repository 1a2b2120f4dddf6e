/** Moving the base to a green integration head: by fast-forward only, never overwriting. */
import { fastForwardBranch, isAncestor, resolveCommit } from "../git";

export type AdvanceOutcome =
  | { result: "advanced"; from: string }
  | { result: "unchanged" }
  /** Someone committed to the base meanwhile: the head no longer contains it. */
  | { result: "moved"; to: string };

export async function advanceBase(root: string, base: string, head: string): Promise<AdvanceOutcome> {
  const current = await resolveCommit(root, base);
  if (current === head) return { result: "unchanged" };
  if (!(await isAncestor(root, current, head))) return { result: "moved", to: current };
  await fastForwardBranch(root, base, current, head);
  return { result: "advanced", from: current };
}
