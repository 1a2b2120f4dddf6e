/**
 * Reads the `*.json` entries of a workstreams directory one at a time into one reused buffer: never
 * more than one file open (1,100 bundles fit under `ulimit -n 1024`), no promise per file, and never
 * an open of something that is not a regular file inside the repository. An entry that cannot or
 * must not be read becomes a diagnostic naming it; nothing here throws for a bad entry.
 */
import { isUtf8 } from "node:buffer";
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from "node:fs";
import path from "node:path";
import { positionOf, type Diagnostic, type DocumentText } from "../../core/bundle";
import { errorCode, notRegular, readRegularFile } from "../files/regularFile";

/** Far above any real bundle (the largest example is a few KB); bounds what a hostile file costs. */
export const MAX_BUNDLE_BYTES = 4 * 1024 * 1024;

export interface BundleFiles {
  documents: DocumentText[];
  /** One per entry not read, and one per file that is not valid UTF-8 (which is still read). */
  diagnostics: Diagnostic[];
}

/** Every `*.json` entry of `dir`, sorted by name; `root` is the repository a symbolic link must stay in. */
export function readBundleFiles(dir: string, root: string): BundleFiles {
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.name.endsWith(".json"))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const documents: DocumentText[] = [];
  const diagnostics: Diagnostic[] = [];
  let realRoot: string | undefined;
  for (const entry of entries) {
    const uri = path.join(dir, entry.name);
    const refused = entry.isFile() ? undefined : refusal(uri, () => (realRoot ??= realRootOf(root)));
    if (refused !== undefined) {
      diagnostics.push(fileDiagnostic(uri, refused));
      continue;
    }
    const read = readBundleText(uri);
    if (typeof read === "string") diagnostics.push(fileDiagnostic(uri, read));
    else {
      documents.push({ uri, text: read.text });
      if (read.invalidUtf8 !== undefined) diagnostics.push(invalidUtf8(uri, read.text, read.invalidUtf8));
    }
  }
  return { documents, diagnostics };
}

function realRootOf(root: string): string {
  try {
    return realpathSync.native(root);
  } catch {
    return path.resolve(root);
  }
}

/** Why an entry that is not plainly a regular file is not read, or undefined when it may be. */
function refusal(uri: string, realRoot: () => string): string | undefined {
  let info: Stats;
  try {
    info = lstatSync(uri);
  } catch (error) {
    return `could not be examined (${errorCode(error)})`;
  }
  if (info.isSymbolicLink()) {
    let target: string;
    try {
      target = realpathSync.native(uri);
    } catch (error) {
      const code = errorCode(error);
      if (code === "ELOOP") return "is a symbolic link that loops; not read";
      if (code === "ENOENT") return "is a symbolic link whose target does not exist; not read";
      return `is a symbolic link that cannot be followed (${code}); not read`;
    }
    const relative = path.relative(realRoot(), target);
    if (relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative))
      return `is a symbolic link to ${target}, outside the repository; not read (a bundle decides what an agent may change, so it must come from the repository itself)`;
    try {
      info = statSync(target);
    } catch (error) {
      return `is a symbolic link whose target cannot be read (${errorCode(error)}); not read`;
    }
    const kind = notRegular(info);
    return kind === undefined ? undefined : `is a symbolic link to ${kind}; not read`;
  }
  const kind = notRegular(info);
  return kind === undefined ? undefined : `is ${kind}, not a file; not read`;
}

/**
 * The file's text, bounded by MAX_BUNDLE_BYTES, or why it was not read (see regularFile.ts: a file
 * swapped for a FIFO or a device after the listing cannot hang).
 */
function readBundleText(uri: string): { text: string; invalidUtf8?: number } | string {
  const read = readRegularFile(uri, MAX_BUNDLE_BYTES);
  if (!Buffer.isBuffer(read)) {
    switch (read.why) {
      case "cannot-open":
        return `could not be opened (${read.code}); not read`;
      case "cannot-read":
        return `could not be read (${read.code}); not read`;
      case "not-regular":
        return `is ${read.kind}, not a file; not read`;
      case "too-large":
        return tooLarge(read.size);
    }
  }
  const text = read.toString("utf8");
  if (isUtf8(read)) return { text };
  const bad = firstInvalidUtf8(read);
  return { text, invalidUtf8: read.subarray(0, bad).toString("utf8").length };
}

function tooLarge(size: number): string {
  return `is larger than ${MAX_BUNDLE_BYTES / (1024 * 1024)} MiB (${size} bytes or more); a bundle is a few KB, so it is not read`;
}

/** The byte offset of the first byte that breaks UTF-8 (the caller knows there is one). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let at = 0;
  while (at < bytes.length) {
    const byte = bytes[at];
    const needed =
      byte < 0x80
        ? 0
        : byte >= 0xc2 && byte <= 0xdf
          ? 1
          : byte >= 0xe0 && byte <= 0xef
            ? 2
            : byte >= 0xf0 && byte <= 0xf4
              ? 3
              : -1;
    if (needed < 0) return at;
    const end = at + needed;
    if (end >= bytes.length && needed > 0) return at;
    for (let next = at + 1; next <= end; next++) if ((bytes[next] & 0xc0) !== 0x80) return at;
    if (needed > 0) {
      const second = bytes[at + 1];
      if (byte === 0xe0 && second < 0xa0) return at; // overlong
      if (byte === 0xed && second > 0x9f) return at; // a surrogate
      if (byte === 0xf0 && second < 0x90) return at; // overlong
      if (byte === 0xf4 && second > 0x8f) return at; // above U+10FFFF
    }
    at = end + 1;
  }
  return Math.max(bytes.length - 1, 0);
}

function invalidUtf8(uri: string, text: string, offset: number): Diagnostic {
  const { line, column } = positionOf(text, offset);
  return {
    type: "parse",
    severity: "error",
    file: uri,
    line,
    column,
    offset,
    length: 1,
    pointer: "",
    message:
      "The file is not valid UTF-8 here; the bytes would be read as U+FFFD replacement characters. Save it as UTF-8.",
  };
}

function fileDiagnostic(uri: string, reason: string): Diagnostic {
  return {
    type: "file",
    severity: "error",
    file: uri,
    line: 1,
    column: 1,
    offset: 0,
    length: 0,
    pointer: "",
    message: `${path.basename(uri)} ${reason}.`,
  };
}
