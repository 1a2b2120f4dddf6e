/**
 * Reads a file only when it is a regular one, bounded in size: opened non-blocking and checked again
 * once open, so a named pipe or a device put in a file's place cannot hang wsp, and a huge file
 * cannot exhaust it. Bundles and configuration files are both read this way.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, type Stats } from "node:fs";

/** Why a file was not read; each caller words it for its own kind of file. */
export type Unread =
  | { why: "cannot-open" | "cannot-read"; code: string }
  | { why: "not-regular"; kind: string }
  | { why: "too-large"; size: number };

/** What a non-regular entry is, in words; undefined for a regular file. */
export function notRegular(info: Stats): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return "a directory";
  if (info.isFIFO()) return "a named pipe (FIFO)";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  if (info.isSocket()) return "a socket";
  return "something other than a regular file";
}

const ERROR_WORDS: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
  ENOENT: "no such file or directory",
  ENOTDIR: "a parent is not a directory",
  ELOOP: "too many symbolic links",
  EISDIR: "it is a directory",
  ENOSPC: "no space left on device",
};

/** A file system error code in words, for the codes people meet; undefined for the rest. */
export function fsErrorWords(code: string): string | undefined {
  return ERROR_WORDS[code];
}

/** A system error code in words, the code kept for a search. */
function describeErrorCode(code: string): string {
  const words = fsErrorWords(code);
  return words === undefined ? code : `${words} (${code})`;
}

export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);
}

/** A regular file opened by openRegularFile, with what fstat said of it once open. */
export interface OpenedFile {
  fd: number;
  info: Stats;
}

/**
 * Opens `file` only when it is a regular file: without blocking (a named pipe cannot stall the open)
 * and checked once open (so a swap between a look and the open changes nothing). `flags` are open(2)
 * flags besides O_NONBLOCK, which reads and writes of a regular file ignore. The caller closes it.
 */
export function openRegularFile(file: string, flags: number = constants.O_RDONLY): OpenedFile | Unread {
  let fd: number;
  try {
    fd = openSync(file, flags | constants.O_NONBLOCK);
  } catch (error) {
    return { why: "cannot-open", code: errorCode(error) };
  }
  try {
    const info = fstatSync(fd);
    const kind = notRegular(info);
    if (kind === undefined) return { fd, info };
    closeSync(fd);
    return { why: "not-regular", kind };
  } catch (error) {
    closeSync(fd);
    return { why: "cannot-read", code: errorCode(error) };
  }
}

/**
 * A regular file's bytes in a buffer of their own (for a file that is kept, such as a whole store,
 * where the shared buffer of readRegularFile would stay as large as the largest file ever read).
 */
export function readRegularFileCopy(file: string, maxBytes: number): Buffer | Unread {
  const opened = openRegularFile(file);
  if (!("fd" in opened)) return opened;
  try {
    if (opened.info.size > maxBytes) return { why: "too-large", size: opened.info.size };
    const bytes = readFileSync(opened.fd);
    return bytes.length > maxBytes ? { why: "too-large", size: bytes.length } : bytes;
  } catch (error) {
    return { why: "cannot-read", code: errorCode(error) };
  } finally {
    closeSync(opened.fd);
  }
}

/** Nothing stands at the path: the one answer most readers take as "not there" rather than an error. */
export function isMissing(read: Unread): boolean {
  return read.why === "cannot-open" && read.code === "ENOENT";
}

/** The reason a file was not read, worded for a message that names the file before it. */
export function describeUnread(read: Unread): string {
  switch (read.why) {
    case "cannot-open":
      return `cannot be opened: ${describeErrorCode(read.code)}`;
    case "cannot-read":
      return `cannot be read: ${describeErrorCode(read.code)}`;
    case "not-regular":
      return `is ${read.kind}, not a regular file`;
    case "too-large":
      return `is too large (${read.size} bytes)`;
  }
}

// One buffer for every read: loading a thousand bundles allocates once. What a read returns is a
// view of it, valid until the next read.
let buffer = Buffer.allocUnsafe(64 * 1024);

/** The file's bytes (a view valid until the next call), or why they were not read. */
export function readRegularFile(file: string, maxBytes: number): Buffer | Unread {
  const opened = openRegularFile(file);
  if (!("fd" in opened)) return opened;
  const { fd, info } = opened;
  try {
    if (info.size > maxBytes) return { why: "too-large", size: info.size };
    if (buffer.length < info.size + 1) buffer = Buffer.allocUnsafe(Math.min(info.size * 2 + 1, maxBytes + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        // The file grew while being read: read on, but never past the bound.
        if (length > maxBytes) return { why: "too-large", size: length };
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const count = readSync(fd, buffer, length, buffer.length - length, null);
      if (count === 0) break;
      length += count;
    }
    if (length > maxBytes) return { why: "too-large", size: length };
    return buffer.subarray(0, length);
  } catch (error) {
    return { why: "cannot-read", code: errorCode(error) };
  } finally {
    closeSync(fd);
  }
}

/**
 * What stands at `file`, for a fingerprint: the bytes of a regular file, or a word for anything else
 * (`missing`, a non-regular kind, an oversize file's size, an error code). Never blocks on a named
 * pipe and never reads a device, so a file replaced by either cannot hang or exhaust whoever looks.
 */
export function fingerprintContent(file: string, maxBytes: number): Buffer | string {
  const read = readRegularFile(file, maxBytes);
  if (Buffer.isBuffer(read)) return read;
  switch (read.why) {
    case "cannot-open":
    case "cannot-read":
      return read.code === "ENOENT" || read.code === "ENOTDIR" ? "missing" : `unreadable:${read.code}`;
    case "not-regular":
      return `not-regular:${read.kind}`;
    case "too-large":
      return `too-large:${read.size}`;
  }
}
