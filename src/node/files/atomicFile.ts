/**
 * Writing files so that readers never see half of one: a temp file beside the target, then a rename.
 * The store needs its checkpoints on disk before it moves on (`durable`); caches and generated
 * files only need the rename.
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import path from "node:path";

export interface AtomicWriteOptions {
  /** fsync the file before the rename and its directory after it, so the new content survives a crash. */
  durable: boolean;
}

/**
 * Replaces `file` atomically with `data`, creating its directory when missing. The temp file is
 * `.<name>.<pid>.<random>.tmp`: the store's open removes such leftovers of killed writers.
 */
export function writeFileAtomic(file: string, data: Uint8Array | string, options: AtomicWriteOptions): void {
  const directory = path.dirname(file);
  mkdirSync(directory, { recursive: true });
  const temp = path.join(
    directory,
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    if (options.durable) writeDurably(temp, typeof data === "string" ? Buffer.from(data) : data);
    else writeFileSync(temp, data, { flag: "wx" });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  if (options.durable) fsyncDirectory(directory);
}

function writeDurably(file: string, data: Uint8Array): void {
  const fd = openSync(file, "wx");
  try {
    writeAll(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** One write() for small buffers; loops only if the kernel takes part of it. */
export function writeAll(fd: number, data: Uint8Array): void {
  let written = 0;
  while (written < data.length) written += writeSync(fd, data, written, data.length - written);
}

function fsyncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, "r");
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
