/**
 * Reads a configuration file the way bundles are read (regularFile.ts): only a regular file, bounded
 * in size, never blocking on a named pipe or a device put in its place. Any other answer is a
 * UserError that names the file.
 */
import { load as loadYaml } from "js-yaml";
import { UserError, messageOf } from "../../core/errors";
import { isMissing, readRegularFile } from "./regularFile";

/** Far above any real config file; a larger one is a mistake or an attack, not a configuration. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

export function readConfigText(file: string): string {
  const text = readConfigTextIfExists(file);
  if (text === undefined) throw new UserError(`${file}: cannot be opened (ENOENT)`);
  return text;
}

/** The same, with undefined for a file that is not there; anything else that is not a file is an error. */
export function readConfigTextIfExists(file: string): string | undefined {
  const read = readRegularFile(file, MAX_CONFIG_BYTES);
  if (Buffer.isBuffer(read)) return read.toString("utf8");
  if (isMissing(read)) return undefined;
  switch (read.why) {
    case "cannot-open":
      throw new UserError(`${file}: cannot be opened (${read.code})`);
    case "cannot-read":
      throw new UserError(`${file}: cannot be read (${read.code})`);
    case "not-regular":
      throw new UserError(`${file}: is not a regular file; not read`);
    case "too-large":
      throw new UserError(`${file}: is larger than ${MAX_CONFIG_BYTES / (1024 * 1024)} MiB; not read`);
  }
}

/** A YAML config file's content; a UserError naming the file and the place when it does not parse. */
export function readYamlConfig(file: string): unknown {
  const text = readConfigText(file);
  try {
    return loadYaml(text, { filename: file });
  } catch (error) {
    throw new UserError(`${file}: cannot parse: ${messageOf(error)}`);
  }
}
