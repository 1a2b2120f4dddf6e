/**
 * The embedded state store: `openStore` gives a `Store` (see src/core/store/types.ts) backed by a sql.js
 * SQLite file plus a journal; safe against kill -9 and shared by several processes.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Store } from "../../core/store";
import { UserError } from "../../core/errors";
import { JournaledDb } from "./engine";
import { describeFsError } from "./lock";
import { SCHEMA_SQL } from "./schemaSql";
import { SqlJsStore } from "./sqlStore";
import { compileOperations } from "./statements";

export { companionPaths } from "./paths";
export { errorSignature, STORE_TABLES, SqlJsStore } from "./sqlStore";
export { CURRENT_SCHEMA_VERSION } from "./schemaSql";

export interface OpenStoreOptions {
  /** The SQLite file (resolve it with `resolveDbPath` from src/node/paths.ts). */
  path: string;
  /** Schema to create a new store from; default: the schema built into this version (schema/schema.sql). */
  schemaPath?: string;
  /** Never writes, never locks: the extension and `wsp db` viewers. */
  readOnly?: boolean;
  /** For tests: the clock the store stamps rows with. */
  now?: () => Date;
  /** Journal bytes before a writer folds it into the file (default 4 MiB, at least a quarter of the file). */
  checkpointBytes?: number;
  /** How long to wait for another writer's lock (default 15 s). */
  lockTimeoutMs?: number;
  /**
   * `wsp db init --discard-journal`: rename the journal to `<journal>.discarded-<time>` (never delete it)
   * and open the store as of its last checkpoint, or create it anew when the store file is gone.
   */
  discardJournal?: boolean;
  /** Told the new name of the journal set aside. */
  onJournalSetAside?: (file: string) => void;
}

const OPERATIONS = compileOperations();

/**
 * Opens (creating or migrating, unless read-only) the store at `options.path`. A file that is not a
 * store, is truncated, or comes from a newer version, a journal line that is not one of our operations
 * or breaks the sequence, and a journal whose store file is gone are refused with a `UserError` naming
 * the file, and are left byte-identical.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const file = path.resolve(options.path);
  let schemaSql = SCHEMA_SQL;
  if (options.schemaPath !== undefined) {
    try {
      schemaSql = readFileSync(options.schemaPath, "utf8");
    } catch (error) {
      throw new UserError(`Cannot read the schema ${options.schemaPath}: ${describeFsError(error)}`);
    }
  }
  const engine = await JournaledDb.open({
    path: file,
    readOnly: options.readOnly ?? false,
    operations: OPERATIONS,
    schemaSql,
    ...(options.checkpointBytes === undefined ? {} : { checkpointBytes: options.checkpointBytes }),
    ...(options.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: options.lockTimeoutMs }),
    ...(options.discardJournal === true ? { discardJournal: true } : {}),
    ...(options.onJournalSetAside === undefined ? {} : { onJournalSetAside: options.onJournalSetAside }),
  });
  return new SqlJsStore(engine, options.now);
}
