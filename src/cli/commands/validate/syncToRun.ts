/**
 * `--run-id`: records the valid bundles as pending workstreams of a run in the state store (creating
 * the run when it is new). Workstreams the run already has are left as they are, so re-validating is safe.
 */
import { type CommandIO } from "../../io";
import { type LoadedBundle } from "../../../core/bundle";
import { resolveDbPath, resolveSchemaPath } from "../../../node/paths";
import { openStore } from "../../../node/store";

export async function syncToRun(
  runId: string,
  bundles: readonly LoadedBundle[],
  io: CommandIO,
): Promise<number> {
  const file = resolveDbPath(undefined, io.env, io.cwd);
  const schemaPath = resolveSchemaPath(undefined, io.env, io.cwd);
  const store = await openStore({ path: file, ...(schemaPath === undefined ? {} : { schemaPath }) });
  try {
    if ((await store.findRun(runId)) === undefined) {
      await store.createRun({ runId, metadata: { created_by: "wsp validate" } });
    }
    let added = 0;
    for (const { bundle } of bundles) {
      if ((await store.findWorkstream(runId, bundle.id)) !== undefined) continue;
      await store.createWorkstream({ runId, wsId: bundle.id, dependsOn: bundle.depends_on });
      added++;
    }
    io.err(
      `wsp validate: run ${runId}: ${added} workstream(s) recorded as pending, ` +
        `${bundles.length - added} already there (${file})\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
