/**
 * `--run-id`: records the valid bundles as pending workstreams of a run in the state store (creating
 * the run when it is new), in one transaction, so a kill leaves the run with all of them or none.
 * Workstreams the run already has are left as they are, so re-validating is safe.
 */
import { type CommandIO } from "../../io";
import { type LoadedBundle } from "../../../core/bundle";
import { resolveDbPath, resolveSchemaPath } from "../../../node/paths";
import { openStore } from "../../../node/store";

export async function syncToRun(
  runId: string,
  bundles: readonly LoadedBundle[],
  io: CommandIO,
  dbPath?: string,
): Promise<number> {
  const file = resolveDbPath(dbPath, io.env, io.cwd);
  const schemaPath = resolveSchemaPath(undefined, io.env, io.cwd);
  const store = await openStore({ path: file, ...(schemaPath === undefined ? {} : { schemaPath }) });
  try {
    const { added } = await store.seedRun({
      runId,
      metadata: { created_by: "wsp validate" },
      workstreams: bundles.map(({ bundle }) => ({ wsId: bundle.id, dependsOn: bundle.depends_on })),
    });
    io.err(
      `wsp validate: run ${runId}: ${added.length} workstream(s) recorded as pending, ` +
        `${bundles.length - added.length} already there (${file})\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
