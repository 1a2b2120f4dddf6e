/**
 * Lets ripgrep do the reading for a docs scan: one `rg` pass, on every core, prints each line that
 * can change what the scanner finds (a line with `[IDX-` in any case, an ATX heading, a code fence)
 * and Node scans only those. Every other line is inert for the scanner: it holds no tag, and it
 * neither opens nor closes a fence nor changes the heading a tag is described by.
 *
 * Lines are as ripgrep splits them, at LF. A line that still holds a CR once its CRLF ending is
 * dropped means the file breaks lines at a lone CR too, as the scanner does and ripgrep does not;
 * such a file is read whole instead (see `sparseText`). Any error of rg's (an unreadable file or
 * directory, a missing base) makes the whole result undefined, and the caller scans without it.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { envValue } from "../paths";
import { spawnProcess } from "../process/spawnProcess";
import { locateExecutable } from "../process/toolProcess";

/**
 * The rg to read docs with, or undefined for the Node reader: only when `$PIPELINE_RIPGREP` names
 * one (`rg` on the PATH's absolute folders, or a path such as the copy VS Code ships). Opt-in
 * because on a busy two-core machine rg's threads and its 10 MB of output through a pipe cost more
 * than they save (docs/performance.md has the figures). Never a repository's own
 * node_modules/.bin/rg: indexing a repository must not run its code.
 */
export function locateRipgrep(env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const chosen = envValue(env, "PIPELINE_RIPGREP");
  if (chosen === undefined || chosen === "off") return undefined;
  return locateExecutable(chosen, cwd, env, { installedOnly: true });
}

/** One line ripgrep printed: its 1-based number and its text, line ending dropped. */
export interface PrintedLine {
  line: number;
  text: string;
}

/**
 * The patterns, byte-wise (`(?-u)`) so no Unicode case folding or invalid UTF-8 can make rg's idea
 * of a match differ from the scanner's: the tag opener the scanner looks at (`[`, then `idx` in any
 * case, then `-`), up to three spaces and a `#` (every heading candidate), up to three spaces and a
 * fence run, a CR inside a line (which marks a file to be read whole), and a line that starts with
 * a byte-order mark.
 */
const PATTERNS = [
  "(?-u)\\[[Ii][Dd][Xx]-",
  "^ {0,3}#",
  "^ {0,3}(```|~~~)",
  "(?-u)\\r[^\\n]",
  "(?-u)^\\xEF\\xBB\\xBF", // a byte-order mark, which the scanner skips before a first-line heading or fence
];

/**
 * The printed lines of every file under `bases` (directories relative to `root`) that has one,
 * keyed by the '/'-separated path from the root; undefined when rg failed.
 */
export async function ripgrepDocLines(
  rg: string,
  root: string,
  bases: readonly string[],
): Promise<Map<string, PrintedLine[]> | undefined> {
  const existing = bases.filter((base) => existsSync(path.join(root, base)));
  if (existing.length === 0) return new Map();
  const args = [
    "--no-config", // no RIPGREP_CONFIG_PATH: its options could change what is printed
    "--no-ignore", // the walk decides which files count, not .gitignore
    "--hidden",
    "--text", // a NUL byte does not end the scan, as it does not for the scanner
    "--encoding=none", // bytes as they are: no BOM sniffing or transcoding
    "--no-heading",
    "--with-filename",
    "--line-number",
    "--null",
    "--color=never",
    "--glob=!.git",
    "--glob=!node_modules",
    ...PATTERNS.flatMap((pattern) => ["-e", pattern]),
    "--",
    ...existing.map((base) => (base === "" ? "./" : base)),
  ];
  // No inherited environment: nothing in it may change rg's output.
  const child = spawnProcess({ command: rg, args, cwd: root, env: { LC_ALL: "C" } }, { ownGroup: false });
  const chunks: Buffer[] = [];
  child.stdout!.on("data", (chunk: Buffer) => chunks.push(chunk));
  child.stderr!.resume();
  const status = await new Promise<number | null>((resolve) => {
    child.on("error", () => resolve(null));
    child.on("close", (code) => resolve(code));
  });
  // 0: lines printed; 1: nothing matched; 2 or a failed start: an error somewhere, trust none of it.
  if (status !== 0 && status !== 1) return undefined;
  return splitRecords(Buffer.concat(chunks));
}

/**
 * ripgrep's `--null` records: the path, a NUL, the line number, ':', the line, LF. A path holds no
 * NUL and a line no LF, so the first NUL ends the path and the next LF the line, whatever else
 * either contains.
 */
function splitRecords(output: Buffer): Map<string, PrintedLine[]> {
  const files = new Map<string, PrintedLine[]>();
  let lastPath = "";
  let lastLines: PrintedLine[] = [];
  for (let start = 0; start < output.length;) {
    const nul = output.indexOf(0, start);
    const end = nul === -1 ? -1 : output.indexOf(10, nul);
    const colon = nul === -1 ? -1 : output.indexOf(0x3a, nul);
    if (end === -1 || colon === -1 || colon > end) break; // a cut record: rg was killed
    let file = output.toString("utf8", start, nul);
    if (file.startsWith("./")) file = file.slice(2);
    if (path.sep !== "/") file = file.split(path.sep).join("/");
    const textEnd = end > colon + 1 && output[end - 1] === 0x0d ? end - 1 : end;
    const printed = {
      line: Number(output.toString("latin1", nul + 1, colon)),
      text: output.toString("utf8", colon + 1, textEnd),
    };
    // rg prints one file's lines together and in order; the map copes if a build ever does not.
    if (file !== lastPath) {
      lastPath = file;
      lastLines = files.get(file) ?? files.set(file, []).get(file)!;
    }
    lastLines.push(printed);
    start = end + 1;
  }
  for (const lines of files.values()) lines.sort((a, b) => a.line - b.line);
  return files;
}

/**
 * A stand-in for the file's text that scans the same: the printed lines at their own line numbers,
 * every other line empty. Undefined when a line holds a lone CR (the file must be read whole).
 */
export function sparseText(lines: readonly PrintedLine[]): string | undefined {
  const parts: string[] = [];
  let at = 1;
  for (const { line, text } of lines) {
    if (text.includes("\r")) return undefined;
    parts.push("\n".repeat(line - at), text);
    at = line;
  }
  return parts.join("");
}
