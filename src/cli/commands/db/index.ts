/** `wsp db ...`: thin commands over the store; viewers open it read-only and never change it. */
import { UserError } from "../../../core/errors";
import { type EventRow, type RunRow, type Store } from "../../../core/store";
import { resolveDbPath, resolveSchemaPath } from "../../../node/paths";
import { openStore } from "../../../node/store";
import { type CommandIO } from "../../io";

interface DbOptions {
  db?: string;
}

export async function dbInit(
  options: DbOptions & { schema?: string; discardJournal?: boolean },
  io: CommandIO,
): Promise<number> {
  const file = resolveDbPath(options.db, io.env, io.cwd);
  const schemaPath = resolveSchemaPath(options.schema, io.env, io.cwd);
  const store = await openStore({
    path: file,
    ...(schemaPath === undefined ? {} : { schemaPath }),
    ...(options.discardJournal === true
      ? {
          discardJournal: true,
          onJournalSetAside: (aside: string) =>
            io.err(`wsp db init: the journal was set aside as ${aside}; nothing in it was applied\n`),
        }
      : {}),
  });
  await store.close();
  io.out(`${file}\n`);
  return 0;
}

export async function dbInspect(options: DbOptions & { json?: boolean }, io: CommandIO): Promise<number> {
  return withReader(options, io, async (store) => {
    const info = await store.info();
    if (options.json === true) {
      io.out(
        `${JSON.stringify({ path: info.path, schema_version: info.schemaVersion, file_size: info.fileSize, journal_size: info.journalSize, tables: info.tables }, null, 2)}\n`,
      );
      return 0;
    }
    io.out(`${info.path}\n`);
    const width = Math.max(...Object.keys(info.tables).map((name) => name.length));
    for (const [name, count] of Object.entries(info.tables)) io.out(`  ${name.padEnd(width)}  ${count}\n`);
    io.out(`schema version ${info.schemaVersion}\n`);
    io.out(`file size ${info.fileSize} bytes (+ ${info.journalSize} bytes of journal)\n`);
    return 0;
  });
}

export async function dbRuns(
  options: DbOptions & { json?: boolean; limit?: string },
  io: CommandIO,
): Promise<number> {
  const limit = parseCount(options.limit ?? "100", "--limit");
  return withReader(options, io, async (store) => {
    const runs = await store.listRuns({ limit });
    if (options.json === true) {
      io.out(`${JSON.stringify(runs.map(runJson), null, 2)}\n`);
      return 0;
    }
    if (runs.length === 0) {
      io.out("no runs\n");
      return 0;
    }
    const width = Math.max(6, ...runs.map((run) => run.runId.length));
    io.out(`${"RUN".padEnd(width)}  ${"STATUS".padEnd(9)}  CREATED                   UPDATED\n`);
    for (const run of runs) {
      io.out(`${run.runId.padEnd(width)}  ${run.status.padEnd(9)}  ${run.createdAt}  ${run.updatedAt}\n`);
    }
    return 0;
  });
}

export async function dbEvents(
  options: DbOptions & { run?: string; ws?: string; after?: string; follow?: boolean; json?: boolean },
  io: CommandIO,
  signal?: AbortSignal,
): Promise<number> {
  const afterId = parseCount(options.after ?? "0", "--after");
  const filter = {
    ...(options.run === undefined ? {} : { runId: options.run }),
    ...(options.ws === undefined ? {} : { wsId: options.ws }),
  };
  const format = (event: EventRow): string =>
    options.json === true ? `${JSON.stringify(eventJson(event))}\n` : formatEvent(event);
  // Each write waits for a slow reader (a pager, `| head`): a million events into a pipe used to
  // queue in memory (420 MB for 300,000) before the first one reached it.
  return withReader(options, io, async (store) => {
    if (options.follow === true) {
      for await (const event of store.followEvents({
        ...filter,
        afterId,
        ...(signal === undefined ? {} : { signal }),
      })) {
        io.out(format(event));
        await io.drained();
      }
      return 0;
    }
    let last = afterId;
    for (;;) {
      const batch = await store.eventsAfter(last, { ...filter, limit: 1000 });
      if (batch.length > 0) io.out(batch.map(format).join(""));
      await io.drained();
      if (batch.length < 1000) return 0;
      last = batch[batch.length - 1]?.id ?? last;
    }
  });
}

async function withReader(
  options: DbOptions,
  io: CommandIO,
  body: (store: Store) => Promise<number>,
): Promise<number> {
  const store = await openStore({ path: resolveDbPath(options.db, io.env, io.cwd), readOnly: true });
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

function parseCount(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new UserError(`${flag} must be a whole number, got "${text}".`);
  return value;
}

/** The store's snake_case vocabulary, as in `wsp run --events ndjson` (contract 5). */
function eventJson(event: EventRow): Record<string, unknown> {
  const fixed = {
    id: event.id,
    type: event.type,
    ts: event.timestamp,
    run_id: event.runId,
    ws_id: event.wsId,
  };
  // Payload fields sit beside the fixed ones, which win on a clash.
  return { ...fixed, ...event.payload, ...fixed };
}

function runJson(run: RunRow): Record<string, unknown> {
  return {
    run_id: run.runId,
    status: run.status,
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    metadata: run.metadata,
  };
}

function formatEvent(event: EventRow): string {
  const where = [event.runId, event.wsId].filter((part) => part !== null).join("/");
  const payload = event.payload === null ? "" : ` ${JSON.stringify(event.payload)}`;
  return `#${event.id} ${event.timestamp} ${where} ${event.type}${payload}\n`;
}
