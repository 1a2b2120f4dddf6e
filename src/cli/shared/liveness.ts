/** Whether a run is still being carried out by a living orchestrator process. */
import { type RunRow } from "../../core/store";
import { processAlive } from "../../node/process/processAlive";

/** A run is live while it is running and the process that runs it (recorded as metadata.pid) is alive. */
export function runIsLive(run: RunRow): boolean {
  if (run.status !== "running" && run.status !== "pending") return false;
  const pid = run.metadata?.pid;
  return typeof pid === "number" && pid !== process.pid && processAlive(pid);
}
