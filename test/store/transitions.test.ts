import assert from "node:assert/strict";
import path from "node:path";
import {
  IllegalTransitionError,
  WORKSTREAM_STATUSES,
  allowedWorkstreamMoves,
  type Store,
  type WorkstreamStatus,
} from "../../src/core/store";
import { openStore } from "../../src/node/store";
import { makeTempDir } from "./support";

/** The shortest sequence of legal moves from pending to `target`. */
function pathTo(target: WorkstreamStatus): WorkstreamStatus[] {
  const previous = new Map<WorkstreamStatus, WorkstreamStatus>();
  const queue: WorkstreamStatus[] = ["pending"];
  while (queue.length > 0) {
    const state = queue.shift() as WorkstreamStatus;
    if (state === target) break;
    for (const next of allowedWorkstreamMoves(state)) {
      if (next !== "pending" && !previous.has(next)) {
        previous.set(next, state);
        queue.push(next);
      }
    }
  }
  const steps: WorkstreamStatus[] = [];
  for (let state = target; state !== "pending"; state = previous.get(state) as WorkstreamStatus)
    steps.unshift(state);
  return steps;
}

describe("state store: every workstream transition through the store", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let counter = 0;

  before(async () => {
    temp = makeTempDir();
    store = await openStore({ path: path.join(temp.dir, "pipeline.db") });
    await store.createRun({ runId: "r1" });
  });
  after(async () => {
    await store.close();
    temp.remove();
  });

  async function workstreamIn(status: WorkstreamStatus): Promise<string> {
    const wsId = `ws-${++counter}`;
    await store.createWorkstream({ runId: "r1", wsId });
    for (const step of pathTo(status)) await store.updateWorkstreamStatus("r1", wsId, step);
    assert.equal((await store.getWorkstream("r1", wsId)).status, status);
    return wsId;
  }

  for (const from of WORKSTREAM_STATUSES) {
    it(`from ${from}: allowed moves record {from, to}, forbidden ones change nothing`, async () => {
      for (const to of WORKSTREAM_STATUSES) {
        for (const retry of [false, true]) {
          const wsId = await workstreamIn(from);
          const legal = allowedWorkstreamMoves(from, retry).includes(to);
          const lastEvent = (await store.eventsAfter(0, { wsId })).at(-1)?.id ?? 0;
          const attempt = store.updateWorkstreamStatus("r1", wsId, to, { retry });
          if (legal) {
            assert.equal((await attempt).status, to);
            const events = await store.eventsAfter(lastEvent, { wsId });
            assert.equal(events.length, 1);
            assert.equal(events[0]?.type, "status_changed");
            assert.deepEqual(events[0]?.payload, retry ? { from, to, retry: true } : { from, to });
          } else {
            await assert.rejects(attempt, IllegalTransitionError);
            assert.equal((await store.getWorkstream("r1", wsId)).status, from);
            assert.deepEqual(await store.eventsAfter(lastEvent, { wsId }), []);
          }
        }
      }
    });
  }
});
