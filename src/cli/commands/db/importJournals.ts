/** `wsp db import <journal>...`: merges event journals from other machines (e.g. CI jobs) into the store. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../../../core/errors";
import { parseJournal, type JournalRun } from "../../../core/store";
import { type CommandIO } from "../../io";
import { openWorkspaceStore } from "../../shared/context";

/** Exit code: 0 imported (or already there), 2 a journal refused (then nothing was imported). */
export async function dbImport(
  files: readonly string[],
  options: { db?: string },
  io: CommandIO,
): Promise<number> {
  if (files.length === 0) throw new UserError("give at least one journal file");
  // Every journal is read and checked before the first write: a bad one leaves the store as it was.
  const journals: { file: string; runs: JournalRun[] }[] = [];
  for (const file of files) {
    const shown = path.relative(io.cwd, path.resolve(io.cwd, file)) || file;
    let text: string;
    try {
      text = await readFile(path.resolve(io.cwd, file), "utf8");
    } catch (error) {
      throw new UserError(
        `${shown}: cannot read the journal (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
    journals.push({ file: shown, runs: parseJournal(text, shown) });
  }
  const store = await openWorkspaceStore(io, options.db);
  const report: Record<string, unknown>[] = [];
  try {
    for (const { file, runs } of journals)
      for (const run of runs) {
        const result = await store.importRun(run, path.basename(file));
        report.push({ file, run_id: run.runId, outcome: result.outcome, events_added: result.eventsAdded });
      }
  } finally {
    await store.close();
  }
  io.out(`${JSON.stringify(report, null, 2)}\n`);
  return 0;
}
