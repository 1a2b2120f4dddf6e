/**
 * The durable core under the store: an in-memory sql.js database, a shared append-only journal and a
 * checkpointed SQLite file.
 *
 * - `<db>` is only ever replaced whole (temp + fsync + rename), so it is never corrupt. Its
 *   schema_meta `journal_seq` says which journal transactions it already contains.
 * - `<db>.journal.ndjson` starts with a header line {"journal":1,"base":N,"schema":V} and then holds one
 *   line per transaction {"s":seq,"o":[[opcode,...params],...]}. Writers append under `<db>.lock`,
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
  existsSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
} from "node:fs";
import path from "node:path";
import { InternalError, UserError } from "../../core/errors";
import { writeAll, writeFileAtomic } from "../files/atomicFile";
import { assertSqliteImage } from "./fileCheck";
import { FileLock, codeOf, describeFsError } from "./lock";
import { configureConnection } from "./connection";
import { parseRecord, readHeader, type JournalOp } from "./journalFile";
import { removeLeftovers } from "./leftovers";
import { assertSupportedVersion, detectSchemaVersion, migrate } from "./migrations";
import { companionPaths } from "./paths";
import { CURRENT_SCHEMA_VERSION } from "./schemaSql";
import { loadSqlJs } from "./sqlJs";

export interface EngineOptions {
  path: string;
  readOnly: boolean;
  /** Named SQL statements the journal refers to by name. */
  statements: Readonly<Record<string, string>>;
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
  /** Runs a named statement now and journals it. */
  run(opcode: string, params: SqlValue[]): void;
}

interface OpenJournal {
  fd: number;
  ino: number;
  /** Bytes consumed: the end of the last complete line applied or skipped. */
  offset: number;
}

const RELOAD_ATTEMPTS = 20;

export class JournaledDb {
  private dbHandle: Database | undefined;
  private seq = 0;
  private journal: OpenJournal | undefined;
  private readonly statementCache = new Map<string, Statement>();
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
      if (!exists) throw new UserError(`No state store at ${file}; create it with \`wsp db init\`.`);
      this.loadCheckpoint({ migrateInMemory: true });
      return;
    }
    // Check an existing file completely before creating anything beside it.
    let loadedVersion = exists ? this.loadCheckpoint({ migrateInMemory: false }) : undefined;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
    } catch (error) {
      throw new UserError(`Cannot create the state store directory for ${file}: ${describeFsError(error)}`);
    }
    process.on("exit", this.onExit);
    await this.lock.acquire({ timeoutMs: this.options.lockTimeoutMs });
    try {
      removeLeftovers(file);
      if (!existsSync(file)) this.createLocked();
      else {
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
    for (let attempt = 0; attempt < RELOAD_ATTEMPTS; attempt++) {
      this.closeJournal();
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(this.options.path);
      } catch (error) {
        throw new UserError(`Cannot read the state store ${this.options.path}: ${describeFsError(error)}`);
      }
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
    throw new UserError(`The state store ${this.options.path} kept changing while loading; try again.`);
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
      if (this.journal !== undefined && !this.drain()) return false;
      this.closeJournal();
      if (!this.openJournal()) return false;
    }
    return this.drain();
  }

  /** Public catch-up; reloads the checkpoint when needed. */
  sync(): void {
    this.assertOpen();
    if (!this.syncOnce()) this.loadCheckpoint({ migrateInMemory: this.options.readOnly });
  }

  private openJournal(): boolean {
    let fd: number;
    try {
      fd = openSync(this.journalPath, this.options.readOnly ? "r" : "a+");
    } catch (error) {
      if (codeOf(error) === "ENOENT") return true;
      throw new UserError(`Cannot open the journal ${this.journalPath}: ${describeFsError(error)}`);
    }
    const { header, length } = readHeader(fd, this.journalPath);
    if (header.schema > CURRENT_SCHEMA_VERSION) {
      closeSync(fd);
      assertSupportedVersion(header.schema, this.journalPath);
    }
    this.journal = { fd, ino: fstatSync(fd).ino, offset: length };
    return header.base <= this.seq;
  }

  private closeJournal(): void {
    if (this.journal === undefined) return;
    closeSync(this.journal.fd);
    this.journal = undefined;
  }

  /** Applies complete journal lines past the offset. False on a gap in sequence numbers. */
  private drain(): boolean {
    const journal = this.journal;
    if (journal === undefined) return true;
    const size = fstatSync(journal.fd).size;
    if (size <= journal.offset) return true;
    const buffer = Buffer.allocUnsafe(size - journal.offset);
    const read = readSync(journal.fd, buffer, 0, buffer.length, journal.offset);
    const end = buffer.subarray(0, read).lastIndexOf(10);
    if (end < 0) return true;
    let consumed = 0;
    let applying = false;
    let failed = false;
    const startSeq = this.seq;
    try {
      while (consumed <= end) {
        const newline = buffer.indexOf(10, consumed);
        const line = buffer.toString("utf8", consumed, newline);
        const record = parseRecord(line, this.journalPath, journal.offset + consumed);
        if (record.s > this.seq) {
          if (record.s !== this.seq + 1) return false;
          if (!applying) {
            this.db.run("BEGIN");
            applying = true;
          }
          for (const op of record.o) this.statement(op[0]).run(op.slice(1));
          this.seq = record.s;
        }
        consumed = newline + 1;
      }
    } catch (error) {
      failed = true;
      this.seq = startSeq;
      if (applying) this.db.run("ROLLBACK");
      throw error;
    } finally {
      if (!failed) {
        if (applying) this.db.run("COMMIT");
        journal.offset += consumed;
      }
    }
    return true;
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
        this.statement(opcode).run(params);
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
    const header = `${JSON.stringify({ journal: 1, base: this.seq, schema: CURRENT_SCHEMA_VERSION })}\n`;
    writeFileAtomic(this.journalPath, header, { durable: true });
    this.closeJournal();
    const fd = openSync(this.journalPath, "a+");
    this.journal = { fd, ino: fstatSync(fd).ino, offset: Buffer.byteLength(header) };
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

  /** A cached prepared statement, by opcode (from the table) or by raw SQL. */
  statement(opcodeOrSql: string): Statement {
    let statement = this.statementCache.get(opcodeOrSql);
    if (statement === undefined) {
      const sql = this.options.statements[opcodeOrSql] ?? opcodeOrSql;
      statement = this.db.prepare(sql);
      this.statementCache.set(opcodeOrSql, statement);
    }
    return statement;
  }

  private freeStatements(): void {
    for (const statement of this.statementCache.values()) statement.free();
    this.statementCache.clear();
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
