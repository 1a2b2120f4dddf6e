/**
 * Reads a configuration file the way bundles are read: only a regular file, bounded in size, opened
 * non-blocking so a named pipe or a device put in its place cannot hang wsp. Any other answer is a
 * UserError that names the file.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { UserError } from "../../core/errors";

/** Far above any real config file; a larger one is a mistake or an attack, not a configuration. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

export function readConfigText(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new UserError(
      `${file}: cannot be opened (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new UserError(`${file}: is not a regular file; not read`);
    if (info.size > MAX_CONFIG_BYTES)
      throw new UserError(`${file}: is larger than ${MAX_CONFIG_BYTES / (1024 * 1024)} MiB; not read`);
    const buffer = Buffer.allocUnsafe(info.size + 1);
    let length = 0;
    for (;;) {
      const count = readSync(fd, buffer, length, buffer.length - length, null);
      if (count === 0) break;
      length += count;
      // The file grew while being read: refuse rather than read without bound.
      if (length === buffer.length) throw new UserError(`${file}: changed while being read; try again`);
    }
    return buffer.subarray(0, length).toString("utf8");
  } finally {
    closeSync(fd);
  }
}
