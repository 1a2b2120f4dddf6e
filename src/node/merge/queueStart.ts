/**
 * Where a merge queue starts: the workstreams in dependency order, the base, and the head it builds
 * on, which is the last green head a crashed queue left in its ref while the base is still under it.
 * The queue's run is created here and announced with `queue_start`.
 */
import { buildDag } from "../../core/orchestrator/schedule";
import { clearQueueHead, isAncestor, readQueueHead, resolveCommit } from "../git";
import { RunRecorder } from "../orchestrator/recorder";
import { type MergeQueueInput } from "./queue";

export interface QueueStart {
  runId: string;
  recorder: RunRecorder;
  order: readonly string[];
  startCommit: string;
  head: string;
  savedHead: string | undefined;
}

export async function startQueue(input: MergeQueueInput): Promise<QueueStart> {
  const { settings, store } = input;
  const root = settings.repoRoot;
  const base = settings.baseRef;
  const byId = new Map(input.bundles.map((loaded) => [loaded.bundle.id, loaded.bundle]));
  const order = buildDag(
    input.selected.map((id) => ({ id, dependsOn: byId.get(id)?.depends_on ?? [], scope: [] })),
  ).order;
  const startCommit = await resolveCommit(root, base);
  let savedHead = await readQueueHead(root, base);
  let head = startCommit;
  if (
    savedHead !== undefined &&
    savedHead !== startCommit &&
    (await isAncestor(root, startCommit, savedHead))
  )
    head = savedHead;
  else if (savedHead !== undefined) {
    await clearQueueHead(root, base);
    savedHead = undefined;
  }
  let runId = input.runId;
  for (let n = 2; await store.findRun(runId); n++) runId = `${input.runId}-${n}`;
  await store.createRun({
    runId,
    metadata: { kind: "merge_queue", base, strategy: input.queue.strategy, pid: process.pid },
  });
  const recorder = new RunRecorder(store, runId);
  await recorder.init();
  if (input.onEvent) recorder.onEvent(input.onEvent);
  await recorder.runStatus("running");
  await recorder.event("queue_start", null, {
    base,
    base_commit: startCommit,
    head,
    resumed: head !== startCommit,
    order: [...order],
    strategy: input.queue.strategy,
    gate: input.queue.gate,
  });
  return { runId, recorder, order, startCommit, head, savedHead };
}
