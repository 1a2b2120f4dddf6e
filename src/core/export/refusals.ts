/** What the export refuses before writing anything, each naming the workstream and the reason. */
import { scopeMatcher } from "../orchestrator/scope";
import { EXPORTABLE_ID } from "./names";

export interface RefusalInput {
  id: string;
  filesScope: readonly string[];
  filesCreate: readonly string[];
}

const WORKFLOWS_DIR = ".github/workflows";

/**
 * A scope entry that covers `.github/workflows/`: the job's `GITHUB_TOKEN` cannot push such a change
 * (there is no `workflows` permission), so the run would do the work and then fail to deliver it.
 */
export function workflowScopeEntries(entries: readonly string[]): string[] {
  return entries.filter((entry) => {
    const clean = entry.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/+$/, "");
    if (clean === "") return false;
    // The folder itself or one of its parents, or something inside it.
    if (`${WORKFLOWS_DIR}/`.startsWith(`${clean}/`) || clean.startsWith(`${WORKFLOWS_DIR}/`)) return true;
    return scopeMatcher([entry])(`${WORKFLOWS_DIR}/workflow.yml`);
  });
}

/** One sentence per refused workstream; empty when everything may be exported. */
export function exportRefusals(workstreams: readonly RefusalInput[]): string[] {
  const reasons: string[] = [];
  for (const ws of workstreams) {
    if (!EXPORTABLE_ID.test(ws.id)) {
      reasons.push(
        `${JSON.stringify(ws.id)}: only ids of letters, digits, '.', '_' and '-' are written into a workflow`,
      );
      continue;
    }
    const covering = workflowScopeEntries([...ws.filesScope, ...ws.filesCreate]);
    if (covering.length > 0)
      reasons.push(
        `${ws.id}: its scope ${covering.map((entry) => JSON.stringify(entry)).join(", ")} covers ${WORKFLOWS_DIR}/, which a job's GITHUB_TOKEN cannot push; run it locally or narrow the scope`,
      );
  }
  return reasons;
}
