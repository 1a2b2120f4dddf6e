/**
 * The durable core under the store: an in-memory sql.js database, a shared append-only journal and a
 * checkpointed SQLite file.
 *
 * - `<db>` is only ever replaced whole (temp + fsync + rename), so it is never corrupt. Its
 *   schema_meta `journal_seq` says which journal transactions it already contains.
 * - `<db>.journal.ndjson` starts with a header line {"journal":1,"base":N,"schema":V} and then holds one
 *   line per transaction {"s":seq,"o":[[operation,...values],...]}. It is data, never SQL: replay maps each
 *   operation to one of our own fixed statements and refuses anything else (journalFile.ts). A journal
 *   is never thrown away: one without its `<db>` is refused unless asked to set it aside. Writers append under `<db>.lock`,
 *   after catching up, so sequence numbers (and the event ids allocated inside) are global and
 *   increase in commit order. A transaction is acknowledged once its line's write() returned: the
 *   bytes are then in the kernel and survive kill -9 of the writer (fsync happens at checkpoint).
 * - A checkpoint (under the lock) exports the database with journal_seq = N, replaces `<db>`, then
 *   replaces the journal with an empty one whose base is N. Readers never lock: they load `<db>`, replay
 *   journal lines with seq > journal_seq, and notice a replaced journal by its inode.
 */
import { type Database, type SqlJsStatic, type Statement, type SqlValue } from "sql.js";
import {
  closeSync,
  constants,
  existsSync,
  renameSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
} from "node:fs";
import path from "node:path";
import { InternalError, UserError } from "../../core/errors";
import { writeAll, writeFileAtomic } from "../files/atomicFile";
import { describeUnread, isMissing, openRegularFile, readRegularFileCopy } from "../files/regularFile";
import { assertSqliteImage } from "./fileCheck";
import { FileLock, codeOf, describeFsError } from "./lock";
import { configureConnection } from "./connection";
import { JOURNAL_FORMAT, journalRecovery, parseRecord, readHeader, type JournalOp } from "./journalFile";
import { removeLeftovers } from "./leftovers";
import { assertSupportedVersion, detectSchemaVersion, migrate } from "./migrations";
import { companionPaths } from "./paths";
import { CURRENT_SCHEMA_VERSION } from "./schemaSql";
import { loadSqlJs } from "./sqlJs";
import { type CompiledOperation } from "./statements";

export interface EngineOptions {
  path: string;
  readOnly: boolean;
  /** The only writes a journal line may name: operation name → its fixed statement (statements.ts). */
  operations: Readonly<Record<string, CompiledOperation>>;
  /**
   * Set the journal aside (renamed to `<journal>.discarded-<time>`, never deleted) before opening, and
   * open the store as of its last checkpoint. The explicit way past a journal that is refused.
   */
  discardJournal?: boolean;
  /** Told the new name of a journal set aside. */
  onJournalSetAside?: (file: string) => void;
  /** Schema text to create a new store with. */
  schemaSql: string;
  /** Checkpoint once the journal exceeds max(this, file size / 4) bytes (default 4 MiB). */
  checkpointBytes?: number;
  lockTimeoutMs?: number;
  /** Longest a writer keeps the lock across back-to-back writes before letting others in (ms). */
  maxLeaseMs?: number;
}

export interface Transaction {
  readonly db: Database;
  /** Runs a named operation now and journals it. */
  run(opcode: string, params: SqlValue[]): void;
}

interface OpenJournal {
  fd: number;
  ino: number;
  /** Bytes consumed: the end of the last complete line applied or skipped. */
  offset: number;
  /** Lines consumed, the header included (for messages). */
  lines: number;
  /** Sequence number of the last line consumed (the header's base before the first). */
  lastSeq: number;
}

const RELOAD_ATTEMPTS = 20;
/**
 * The largest store or journal file read: the whole store is loaded into sql.js's memory, which
 * holds at most a few GiB, and a link to /dev/zero must end in an error rather than fill memory.
 */
const MAX_STORE_FILE_BYTES = 2 * 1024 * 1024 * 1024 - 1;

export class JournaledDb {
  private dbHandle: Database | undefined;
  private seq = 0;
  private journal: OpenJournal | undefined;
  private readonly statementCache = new Map<string, Statement>();
  private readonly operationCache = new Map<string, Statement>();
  private readonly operations: ReadonlyMap<string, CompiledOperation>;
  /** Why the last load attempt had to start over: the journal starts past what `<db>` holds. */
  private journalAhead: { base: number; seq: number } | undefined;
  private readonly lock: FileLock;
  private readonly journalPath: string;
  private leaseStartedAt = 0;
  private releaseScheduled = false;
  private closed = false;
  private journalVanished = false;
  private readonly onExit = (): void => this.lock.dispose();

  private constructor(
    private readonly sql: SqlJsStatic,
    readonly options: EngineOptions,
  ) {
    const companions = companionPaths(options.path);
    this.journalPath = companions.journal;
    this.lock = new FileLock(companions.lock);
    // A Map, so a name like "constructor" or "__proto__" never finds anything.
    this.operations = new Map(Object.entries(options.operations));
  }

  private get db(): Database {
    if (this.dbHandle === undefined) throw new InternalError("state store not loaded");
    return this.dbHandle;
  }

  get path(): string {
    return this.options.path;
  }

  get schemaVersion(): number {
    return CURRENT_SCHEMA_VERSION;
  }

  /** The journal sequence number of the newest transaction this process has applied. */
  get appliedSeq(): number {
    return this.seq;
  }

  static async open(options: EngineOptions): Promise<JournaledDb> {
    const sql = await loadSqlJs();
    const engine = new JournaledDb(sql, options);
    await engine.initialise();
    return engine;
  }

  private async initialise(): Promise<void> {
    const file = this.options.path;
    const exists = existsSync(file);
    if (this.options.readOnly) {
      if (!exists) {
        this.refuseOrphanJournal();
        throw new UserError(`No state store at ${file}; create it with \`wsp db init\`.`);
      }
      this.loadCheckpoint({ migrateInMemory: true });
      return;
    }
    // Check an existing file completely before creating anything beside it (the journal too, unless
    // it is to be set aside).
    const discard = this.options.discardJournal === true;
    let loadedVersion = exists && !discard ? this.loadCheckpoint({ migrateInMemory: false }) : undefined;
    if (!exists && !discard) this.refuseOrphanJournal();
    try {
      mkdirSync(path.dirname(file), { recursive: true });
    } catch (error) {
      throw new UserError(`Cannot create the state store directory for ${file}: ${describeFsError(error)}`);
    }
    process.on("exit", this.onExit);
    await this.lock.acquire({ timeoutMs: this.options.lockTimeoutMs });
    try {
      removeLeftovers(file);
      if (discard) this.setJournalAside();
      if (!existsSync(file)) {
        this.refuseOrphanJournal();
        this.createLocked();
      } else {
        // Another process may have migrated it meanwhile: look again under the lock.
        if (loadedVersion === undefined || loadedVersion < CURRENT_SCHEMA_VERSION) {
          loadedVersion = this.loadCheckpoint({ migrateInMemory: false });
        } else {
          this.sync();
        }
        if (loadedVersion === undefined) {
          this.db.run(this.options.schemaSql);
          this.checkpointLocked();
        } else if (loadedVersion < CURRENT_SCHEMA_VERSION) {
          migrate(this.db, loadedVersion);
          this.checkpointLocked();
        } else if (this.journal === undefined) {
          this.rotateJournal();
        }
      }
    } finally {
      this.lock.release();
    }
  }

  /**
   * A journal without its `<db>` holds writes nothing else has (someone deleted or moved the file):
   * never replace it with an empty one.
   */
  private refuseOrphanJournal(): void {
    const read = readRegularFileCopy(this.journalPath, MAX_STORE_FILE_BYTES);
    if (!Buffer.isBuffer(read)) {
      if (isMissing(read)) return;
      throw new UserError(`Cannot read the journal ${this.journalPath}: it ${describeUnread(read)}`);
    }
    // Lines after the header, a line ending in LF (the last one may not).
    let transactions = 0;
    for (let at = read.indexOf(10); at !== -1 && at + 1 < read.length; at = read.indexOf(10, at + 1))
      if (read[at + 1] !== 10) transactions += 1;
    throw new UserError(
      `The state store ${this.options.path} is missing, but its journal ${this.journalPath} is there ` +
        `(${transactions} transaction(s) not in any store file); it was left unchanged and no new store ` +
        `was created. Restore ${path.basename(this.options.path)} from a backup, or run ` +
        `\`wsp db init --db ${this.options.path} --discard-journal\` to set the journal aside ` +
        `(it is kept, renamed) and start an empty store.`,
    );
  }

  /** Renames the journal to `<journal>.discarded-<time>` (if there is one). Caller holds the lock. */
  private setJournalAside(): void {
    if (!existsSync(this.journalPath)) return;
    const aside = `${this.journalPath}.discarded-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    try {
      renameSync(this.journalPath, aside);
    } catch (error) {
      throw new UserError(`Cannot set the journal ${this.journalPath} aside: ${describeFsError(error)}`);
    }
    this.options.onJournalSetAside?.(aside);
  }

  private createLocked(): void {
    this.replaceDatabase(new this.sql.Database());
    this.db.run(this.options.schemaSql);
    const version = detectSchemaVersion(this.db, this.options.path);
    if (version !== CURRENT_SCHEMA_VERSION) {
      throw new UserError(
        `The schema used to create ${this.options.path} sets schema version ${String(version)}, expected ${CURRENT_SCHEMA_VERSION}.`,
      );
    }
    this.seq = 0;
    this.checkpointLocked();
  }

  /**
   * Loads `<db>` and replays the journal; retries if a checkpoint raced with the reading. Returns the
   * file's schema version (undefined: an empty SQLite file). An older file is migrated in memory only
   * when asked; otherwise the journal is left unread for the caller to migrate under the lock.
   */
  private loadCheckpoint(options: { migrateInMemory: boolean }): number | undefined {
    this.journalAhead = undefined;
    for (let attempt = 0; attempt < RELOAD_ATTEMPTS; attempt++) {
      this.closeJournal();
      const bytes = readRegularFileCopy(this.options.path, MAX_STORE_FILE_BYTES);
      if (!Buffer.isBuffer(bytes))
        throw new UserError(`Cannot read the state store ${this.options.path}: it ${describeUnread(bytes)}`);
      assertSqliteImage(this.options.path, bytes);
      let db: Database;
      let version: number | undefined;
      try {
        db = new this.sql.Database(bytes);
        version = detectSchemaVersion(db, this.options.path);
      } catch (error) {
        if (error instanceof UserError) throw error;
        throw new UserError(
          `${this.options.path} is corrupt (${describeFsError(error)}); it was left unchanged.`,
        );
      }
      if (version !== undefined) assertSupportedVersion(version, this.options.path);
      this.replaceDatabase(db);
      if (version !== undefined && version < CURRENT_SCHEMA_VERSION) {
        if (!options.migrateInMemory) return version;
        migrate(this.db, version);
      }
      this.seq = version === undefined ? 0 : this.readJournalSeq();
      if (this.syncOnce()) return version;
    }
    throw this.stillChanging();
  }

  /** The error once loading gave up: a race that never settled, or a `<db>` older than its journal. */
  private stillChanging(): UserError {
    const ahead = this.journalAhead;
    return new UserError(
      `The state store ${this.options.path} kept changing while loading` +
        (ahead === undefined
          ? ""
          : `, or is older than its journal: ${this.journalPath} starts after transaction ${ahead.base}, ` +
            `the store holds up to ${ahead.seq} (restored from an older copy?)`) +
        `; try again. If this persists: ${journalRecovery(this.options.path)}`,
    );
  }

  private readJournalSeq(): number {
    const result = this.db.exec("SELECT value FROM schema_meta WHERE key = 'journal_seq'");
    return Number(result[0]?.values[0]?.[0] ?? 0);
  }

  private replaceDatabase(db: Database): void {
    this.freeStatements();
    this.dbHandle?.close();
    this.dbHandle = db;
    configureConnection(db);
  }

  /**
   * Catches up with every transaction other processes committed. Cheap when nothing changed (one
   * stat). Returns false if the journal moved past what this process can replay (reload needed).
   */
  private syncOnce(): boolean {
    let stat;
    try {
      stat = statSync(this.journalPath);
    } catch (error) {
      if (codeOf(error) !== "ENOENT") {
        throw new UserError(`Cannot read the journal ${this.journalPath}: ${describeFsError(error)}`);
      }
      // Someone deleted the journal under us: the next write checkpoints before appending anywhere.
      if (this.journal !== undefined) this.journalVanished = true;
      return true;
    }
    if (this.journal === undefined || this.journal.ino !== stat.ino) {
      // Finish the replaced journal first: it may hold transactions the new checkpoint contains.
      this.drain();
      this.closeJournal();
      if (!this.openJournal()) return false;
    }
    this.drain();
    return true;
  }

  /** Public catch-up; reloads the checkpoint when needed. */
  sync(): void {
    this.assertOpen();
    if (!this.syncOnce()) this.loadCheckpoint({ migrateInMemory: this.options.readOnly });
  }

  private openJournal(): boolean {
    const opened = openRegularFile(
      this.journalPath,
      this.options.readOnly ? constants.O_RDONLY : constants.O_RDWR | constants.O_APPEND | constants.O_CREAT,
    );
    if (!("fd" in opened)) {
      if (isMissing(opened)) return true;
      throw new UserError(`Cannot open the journal ${this.journalPath}: it ${describeUnread(opened)}`);
    }
    const { fd, info } = opened;
    let header;
    let length;
    try {
      ({ header, length } = readHeader(fd, this.journalPath));
      assertSupportedVersion(header.schema, this.journalPath);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.journal = { fd, ino: info.ino, offset: length, lines: 1, lastSeq: header.base };
    if (header.base <= this.seq) return true;
    this.journalAhead = { base: header.base, seq: this.seq };
    return false;
  }

  private closeJournal(): void {
    if (this.journal === undefined) return;
    closeSync(this.journal.fd);
    this.journal = undefined;
  }

  /**
   * Applies complete journal lines past the offset, all or none. Each line must follow the previous
   * one's sequence number by one and hold only known operations; anything else is refused, naming the line.
   */
  private drain(): void {
    const journal = this.journal;
    if (journal === undefined) return;
    const size = fstatSync(journal.fd).size;
    if (size <= journal.offset) return;
    const buffer = Buffer.allocUnsafe(size - journal.offset);
    const read = readSync(journal.fd, buffer, 0, buffer.length, journal.offset);
    const end = buffer.subarray(0, read).lastIndexOf(10);
    if (end < 0) return;
    const recovery = journalRecovery(this.options.path);
    let consumed = 0;
    let lines = journal.lines;
    let lastSeq = journal.lastSeq;
    let applying = false;
    const startSeq = this.seq;
    try {
      while (consumed <= end) {
        const newline = buffer.indexOf(10, consumed);
        lines += 1;
        const text = buffer.toString("utf8", consumed, newline);
        const record = parseRecord(text, this.journalPath, lines, this.operations, recovery);
        if (record.s !== lastSeq + 1) {
          throw new UserError(
            `${this.journalPath} has a gap at line ${lines}: sequence ${record.s} follows ${lastSeq}. ${recovery}`,
          );
        }
        lastSeq = record.s;
        if (record.s > this.seq) {
          if (!applying) {
            this.db.run("BEGIN");
            applying = true;
          }
          for (const [name, ...values] of record.o) this.operation(name).run(values);
          this.seq = record.s;
        }
        consumed = newline + 1;
      }
    } catch (error) {
      this.seq = startSeq;
      if (applying) this.db.run("ROLLBACK");
      throw error;
    }
    if (applying) this.db.run("COMMIT");
    journal.offset += consumed;
    journal.lines = lines;
    journal.lastSeq = lastSeq;
  }

  /** Runs `body` as one atomic, durable transaction; resolves once it is acknowledged. */
  async transact<T>(body: (tx: Transaction) => T): Promise<T> {
    this.assertOpen();
    if (this.options.readOnly)
      throw new UserError(`The state store ${this.options.path} was opened read-only.`);
    await this.lease();
    this.sync();
    if (this.journalVanished) this.checkpointLocked();
    const journal = this.journalForAppend();
    const ops: JournalOp[] = [];
    const tx: Transaction = {
      db: this.db,
      run: (opcode, params) => {
        this.operation(opcode).run(params);
        ops.push([opcode, ...params]);
      },
    };
    this.db.run("BEGIN");
    let result: T;
    try {
      result = body(tx);
      if (ops.length > 0) {
        const line = Buffer.from(`${JSON.stringify({ s: this.seq + 1, o: ops })}\n`);
        writeAll(journal.fd, line);
        journal.offset += line.length;
        journal.lines += 1;
        journal.lastSeq = this.seq + 1;
        this.seq += 1;
      }
    } catch (error) {
      this.db.run("ROLLBACK");
      throw error;
    }
    this.db.run("COMMIT");
    if (journal.offset > this.checkpointThreshold()) this.checkpointLocked();
    return result;
  }

  /** The journal, ready for an append at its end: a torn tail from a killed writer is cut off. */
  private journalForAppend(): OpenJournal {
    if (this.journal === undefined) this.rotateJournal();
    const journal = this.journal;
    if (journal === undefined) throw new InternalError("journal missing after rotation");
    const size = fstatSync(journal.fd).size;
    if (size !== journal.offset) ftruncateSync(journal.fd, journal.offset);
    return journal;
  }

  private checkpointThreshold(): number {
    const base = this.options.checkpointBytes ?? 4 * 1024 * 1024;
    let fileSize = 0;
    try {
      fileSize = statSync(this.options.path).size;
    } catch {
      // Not checkpointed yet.
    }
    // Grow with the file so checkpoints stay amortised, but cap it so replay on open stays short.
    return Math.max(base, Math.min(fileSize / 4, 8 * 1024 * 1024));
  }

  /** Folds everything into `<db>` and starts an empty journal. Caller holds the lock. */
  private checkpointLocked(): void {
    this.db.run("INSERT OR REPLACE INTO schema_meta (key, value) VALUES ('journal_seq', ?)", [
      String(this.seq),
    ]);
    this.freeStatements();
    const bytes = this.db.export();
    // export() reopens the connection, which resets connection settings.
    configureConnection(this.db);
    writeFileAtomic(this.options.path, bytes, { durable: true });
    this.rotateJournal();
  }

  private rotateJournal(): void {
    this.journalVanished = false;
    const header = `${JSON.stringify({ journal: JOURNAL_FORMAT, base: this.seq, schema: CURRENT_SCHEMA_VERSION })}\n`;
    writeFileAtomic(this.journalPath, header, { durable: true });
    this.closeJournal();
    const fd = openSync(this.journalPath, "a+");
    this.journal = {
      fd,
      ino: fstatSync(fd).ino,
      offset: Buffer.byteLength(header),
      lines: 1,
      lastSeq: this.seq,
    };
  }

  async checkpoint(): Promise<void> {
    this.assertOpen();
    if (this.options.readOnly) return;
    await this.lease();
    this.sync();
    this.checkpointLocked();
  }

  /** Holds the lock across back-to-back writes; it is released once the event loop turns. */
  private async lease(): Promise<void> {
    const leaseLeft = Date.now() - this.leaseStartedAt < (this.options.maxLeaseMs ?? 50);
    if (this.lock.isHeld && leaseLeft && !this.lock.isWanted()) return;
    if (this.lock.isHeld) {
      // Held long enough, or another writer asks for a turn: let it in before taking it again.
      this.lock.release();
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await this.lock.acquire({ timeoutMs: this.options.lockTimeoutMs });
    this.leaseStartedAt = Date.now();
    if (!this.releaseScheduled) {
      this.releaseScheduled = true;
      setImmediate(() => {
        this.releaseScheduled = false;
        this.lock.release();
      });
    }
  }

  /** Read access to the caught-up database. */
  read<T>(body: (db: Database) => T): T {
    this.sync();
    return body(this.db);
  }

  /** A cached prepared statement for our own SQL (reads). Journalled writes go through `operation`. */
  statement(sql: string): Statement {
    let statement = this.statementCache.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statementCache.set(sql, statement);
    }
    return statement;
  }

  /** The fixed statement of a known operation; never SQL from anywhere else. */
  private operation(name: string): Statement {
    let statement = this.operationCache.get(name);
    if (statement === undefined) {
      const operation = this.operations.get(name);
      if (operation === undefined) throw new InternalError(`unknown store operation ${name}`);
      statement = this.db.prepare(operation.sql);
      this.operationCache.set(name, statement);
    }
    return statement;
  }

  private freeStatements(): void {
    for (const statement of this.statementCache.values()) statement.free();
    this.statementCache.clear();
    for (const statement of this.operationCache.values()) statement.free();
    this.operationCache.clear();
  }

  journalSize(): number {
    return this.journal === undefined ? 0 : fstatSync(this.journal.fd).size;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (!this.options.readOnly && this.journal !== undefined) {
        this.sync();
        const headerOnly = this.journal.offset === readHeader(this.journal.fd, this.journalPath).length;
        if (!headerOnly) await this.checkpoint();
      }
    } finally {
      this.closed = true;
      this.lock.dispose();
      process.off("exit", this.onExit);
      this.closeJournal();
      this.freeStatements();
      this.db.close();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new InternalError(`The state store ${this.options.path} is closed.`);
  }
}
