/**
 * A cross-process lock file (`<db>.lock`, made by link(2), which fails if it exists) holding "pid token". A holder killed
 * with -9 leaves it behind; a waiter breaks it once the pid is gone. Breaking goes through a second
 * O_EXCL file so two waiters never both break it and one of them remove the other's fresh lock.
 *
 * Turns are fair: a waiter leaves `<db>.lock.want` naming itself, and anyone coming for a free lock
 * lets that waiter in first. Without it, a process writing in a tight loop took the lock back within
 * a millisecond of giving it up, and another writer wanting one write every 5 ms got 27 writes in
 * 3 s, with gaps of 370 ms.
 */
import {
  closeSync,
  existsSync,
  linkSync,
  openSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { randomBytes } from "node:crypto";
import { UserError } from "../../core/errors";
import { fsErrorWords, readRegularFile } from "../files/regularFile";
import { processAlive } from "../process/processAlive";

/** An empty lock older than this was left by a holder killed between create and write. */
const EMPTY_LOCK_GRACE_MS = 2000;
/** Longest anyone stands back for a waiter that does not take its turn. */
const MAX_YIELD_MS = 200;

export interface LockOptions {
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
}

export class FileLock {
  private held = false;
  private readonly nonce = randomBytes(6).toString("hex");
  private readonly token = `${process.pid} ${this.nonce}`;
  /** `<lock>.<pid>.<nonce>` (one per lock object), holding the token; linked to `<lock>` to take it. */
  private readonly staging: string;
  /**
   * Whether the staging file exists. It is kept between acquisitions: a writer takes the lock many
   * times a second, and creating a fresh inode each time was the costliest part of a write on a busy
   * ext4 (inode allocation scans recently deleted inodes). `dispose()` removes it; a killed process
   * leaves it for the next opener's leftover sweep, as before.
   */
  private staged = false;

  /** Where a waiter asks for the next turn (see the file comment). */
  private readonly wantPath: string;

  constructor(readonly lockPath: string) {
    this.staging = `${lockPath}.${process.pid}.${this.nonce}`;
    this.wantPath = `${lockPath}.want`;
  }

  get isHeld(): boolean {
    return this.held;
  }

  /**
   * One attempt; true if the lock is now ours. The lock appears whole through link(2), never empty,
   * so a holder killed at any moment leaves a lock naming its (dead) pid.
   */
  tryAcquire(): boolean {
    if (this.held) return true;
    try {
      try {
        this.stage();
        linkSync(this.staging, this.lockPath);
      } catch (error) {
        // The staging file went away under us (someone cleaned the folder): write it again, once.
        if (codeOf(error) !== "ENOENT" || !this.staged) throw error;
        this.staged = false;
        this.stage();
        linkSync(this.staging, this.lockPath);
      }
    } catch (error) {
      if (codeOf(error) === "EEXIST") {
        this.breakIfStale();
        return false;
      }
      this.dispose();
      throw new UserError(
        `Cannot write the state store ${this.lockPath.replace(/\.lock$/, "")}: creating its lock file ` +
          `${this.lockPath} failed: ${describeFsError(error)}. Open it read-only to look at it.`,
      );
    }
    this.held = true;
    return true;
  }

  private stage(): void {
    if (this.staged) return;
    writeFileSync(this.staging, this.token);
    this.staged = true;
  }

  /** Releases the lock if held and removes the staging file; the lock can still be taken again later. */
  dispose(): void {
    this.release();
    if (!this.staged) return;
    this.staged = false;
    unlinkQuietly(this.staging);
  }

  async acquire(options: LockOptions = {}): Promise<void> {
    if (this.held) return;
    const deadline = Date.now() + (options.timeoutMs ?? 15_000);
    await this.letWaiterFirst(Math.min(deadline, Date.now() + MAX_YIELD_MS));
    let pause = 1;
    let waited = false;
    try {
      while (!this.tryAcquire()) {
        waited = true;
        this.askForTurn();
        if (Date.now() > deadline) {
          throw new UserError(
            `The state store is locked by another process (${this.lockPath}: ${readQuietly(this.lockPath) || "empty"}).`,
          );
        }
        await sleep(pause);
        pause = Math.min(pause * 2, 4);
      }
    } finally {
      if (waited && readQuietly(this.wantPath) === this.token) unlinkQuietly(this.wantPath);
    }
  }

  /** True when another process waits for this lock (see the file comment). */
  isWanted(): boolean {
    return existsSync(this.wantPath);
  }

  /** Leaves the want file naming this lock, unless another waiter's is there already. */
  private askForTurn(): void {
    let fd: number;
    try {
      fd = openSync(this.wantPath, "wx");
    } catch {
      return; // someone else's turn comes first; ours is asked for once theirs is taken
    }
    try {
      writeSync(fd, this.token);
    } finally {
      closeSync(fd);
    }
  }

  /** Waits while another live waiter asks for the next turn, up to `until`. */
  private async letWaiterFirst(until: number): Promise<void> {
    while (existsSync(this.wantPath)) {
      const want = readQuietly(this.wantPath);
      if (want === this.token) return;
      if (isStale(this.wantPath, want)) {
        // Its waiter is gone: clear the file, unless a new waiter wrote it meanwhile.
        if (readQuietly(this.wantPath) === want) unlinkQuietly(this.wantPath);
        continue;
      }
      if (Date.now() > until) return;
      await sleep(1);
    }
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    // Only remove it if it is still ours (it always should be; a wrongly broken lock must not cascade).
    if (readQuietly(this.lockPath) === this.token) unlinkQuietly(this.lockPath);
  }

  private breakIfStale(): void {
    const observed = readQuietly(this.lockPath);
    if (!isStale(this.lockPath, observed)) return;
    const breaker = `${this.lockPath}.break`;
    let fd: number;
    try {
      fd = openSync(breaker, "wx");
    } catch {
      // Someone else is breaking it; a breaker killed mid-way leaves its file, so age it out.
      if (ageMs(breaker) > EMPTY_LOCK_GRACE_MS) unlinkQuietly(breaker);
      return;
    }
    try {
      if (readQuietly(this.lockPath) === observed) unlinkQuietly(this.lockPath);
    } finally {
      closeSync(fd);
      unlinkQuietly(breaker);
    }
  }
}

function isStale(lockPath: string, content: string): boolean {
  if (content === "") return ageMs(lockPath) > EMPTY_LOCK_GRACE_MS;
  const pid = Number(content.split(" ")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  return !processAlive(pid);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** A lock file's text, or "" for anything else standing there (never waiting on a named pipe). */
function readQuietly(file: string): string {
  const read = readRegularFile(file, 64 * 1024);
  return Buffer.isBuffer(read) ? read.toString("utf8") : "";
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}

export function codeOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
}

export function describeFsError(error: unknown): string {
  const code = codeOf(error);
  // Here a denial is nearly always a write where the store may not write.
  if (code === "EACCES" || code === "EPERM") return "permission denied (read-only location?)";
  const words = code === undefined ? undefined : fsErrorWords(code);
  return words ?? (error instanceof Error ? error.message : String(error));
}
