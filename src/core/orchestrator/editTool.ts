/** Which edit tool profile a workstream uses: its fixed `tool`, or one routed by `capability`. */
import { type Bundle } from "../bundle/types";

export interface EditToolChoice {
  /** The profile id to run. */
  toolId: string;
  /** Set when the registry chose the tool: the capability, the installed candidates best first, and the chosen one's index among them. */
  routed?: { capability: string; routeIndex: number; candidates: string[] };
}

/**
 * A bundle that names a capability gets the first installed tool of that capability's route (from
 * config/ai_tools.yaml). Its `tool`, which the original format requires, goes first when it is one
 * of those candidates, so an author can still prefer a tool without losing the fallbacks.
 * Returns a reason instead when nothing installed serves the capability.
 */
export function chooseEditTool(
  bundle: Pick<Bundle, "tool" | "capability">,
  routes: ReadonlyMap<string, readonly string[]> | undefined,
): EditToolChoice | { reason: string } {
  if (bundle.capability === undefined) return { toolId: bundle.tool };
  const candidates = [...(routes?.get(bundle.capability) ?? [])];
  if (candidates.length === 0) {
    return {
      reason: `no installed edit tool serves capability '${bundle.capability}' (see wsp aim status and config/ai_tools.yaml)`,
    };
  }
  const preferred = candidates.indexOf(bundle.tool);
  const routeIndex = preferred >= 0 ? preferred : 0;
  return {
    toolId: candidates[routeIndex],
    routed: { capability: bundle.capability, routeIndex, candidates },
  };
}
