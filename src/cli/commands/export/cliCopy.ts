/**
 * The default install: a copy of this very CLI (its launcher, the bundled CLI and sql.js's WebAssembly) written
 * into the repository beside the workflow, with sha512 sums the job checks before running it. It
 * is the exporting version by construction, and no registry name is ever resolved.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { UserError } from "../../../core/errors";
import { writeFileAtomic } from "../../../node/files/atomicFile";

export interface CliCopy {
  /** Relative to the repository root, with `/`. */
  dir: string;
  cliSha512: string;
  cliMainSha512: string;
  wasmSha512: string;
}

export const CLI_COPY_DIR = ".github/wsp";

/** The files of the copy, as the built CLI has them side by side. */
const COPIED_FILES = ["cli.js", "cliMain.js", "sql-wasm.wasm"] as const;

export interface PreparedCliCopy extends CliCopy {
  /** Each copied file's name and content. */
  contents: Map<string, Buffer>;
}

/** Reads and hashes the built CLI; writes nothing. */
export function prepareCliCopy(builtCli: string): PreparedCliCopy {
  const sourceDir = path.dirname(builtCli);
  // cli.js is the launcher (src/cli/launch.ts); it loads cliMain.js beside it.
  const contents = new Map<string, Buffer>();
  for (const name of COPIED_FILES) {
    const file = path.join(sourceDir, name);
    if (!existsSync(file))
      throw new UserError(
        `no built CLI at ${file} to copy (run npm run build, or pass --install with a line that puts wsp on PATH)`,
      );
    contents.set(name, readFileSync(file));
  }
  const sha512 = (name: (typeof COPIED_FILES)[number]) =>
    createHash("sha512").update(contents.get(name)!).digest("hex");
  return {
    dir: CLI_COPY_DIR,
    cliSha512: sha512("cli.js"),
    cliMainSha512: sha512("cliMain.js"),
    wasmSha512: sha512("sql-wasm.wasm"),
    contents,
  };
}

export function writeCliCopy(copy: PreparedCliCopy, repoRoot: string): void {
  for (const [name, content] of copy.contents)
    writeFileAtomic(path.join(repoRoot, copy.dir, name), content, { durable: false });
}
