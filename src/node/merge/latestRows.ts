/** Which workstreams have done work on a branch, according to the store and git. */
import { type Store, type WorkstreamRow } from "../../core/store";

/** The latest row of each workstream over the recent runs (newest run first wins). */
export async function latestRows(
  store: Store,
  limit = 100,
): Promise<Map<string, WorkstreamRow & { live?: boolean }>> {
  const latest = new Map<string, WorkstreamRow>();
  for (const run of await store.listRuns({ limit })) {
    for (const row of await store.listWorkstreams(run.runId))
      if (!latest.has(row.wsId)) latest.set(row.wsId, row);
  }
  return latest;
}
