/**
 * A cross-process lock file (`<db>.lock`, made by link(2), which fails if it exists) holding "pid token". A holder killed
 * with -9 leaves it behind; a waiter breaks it once the pid is gone. Breaking goes through a second
 * O_EXCL file so two waiters never both break it and one of them remove the other's fresh lock.
 */
import { closeSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { UserError } from "../../core/errors";

/** An empty lock older than this was left by a holder killed between create and write. */
const EMPTY_LOCK_GRACE_MS = 2000;

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

  constructor(readonly lockPath: string) {
    this.staging = `${lockPath}.${process.pid}.${this.nonce}`;
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
    const deadline = Date.now() + (options.timeoutMs ?? 15_000);
    let pause = 1;
    while (!this.tryAcquire()) {
      if (Date.now() > deadline) {
        throw new UserError(
          `The state store is locked by another process (${this.lockPath}: ${readQuietly(this.lockPath) || "empty"}).`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 8);
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

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === "EPERM";
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function readQuietly(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
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
  switch (codeOf(error)) {
    case "EACCES":
    case "EPERM":
      return "permission denied (read-only location?)";
    case "EROFS":
      return "read-only file system";
    case "ENOENT":
      return "no such file or directory";
    case "ENOTDIR":
      return "a parent is not a directory";
    case "ENOSPC":
      return "no space left on device";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
