/**
 * The default install: a copy of this very CLI (one bundled file plus sql.js's WebAssembly) written
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
  wasmSha512: string;
}

export const CLI_COPY_DIR = ".github/wsp";

export interface PreparedCliCopy extends CliCopy {
  contents: { cli: Buffer; wasm: Buffer };
}

/** Reads and hashes the built CLI; writes nothing. */
export function prepareCliCopy(builtCli: string): PreparedCliCopy {
  const sourceDir = path.dirname(builtCli);
  const files = ["cli.js", "sql-wasm.wasm"].map((name) => path.join(sourceDir, name));
  for (const file of files)
    if (!existsSync(file))
      throw new UserError(
        `no built CLI at ${file} to copy (run npm run build, or pass --install with a line that puts wsp on PATH)`,
      );
  const [cli, wasm] = files.map((file) => readFileSync(file));
  return {
    dir: CLI_COPY_DIR,
    cliSha512: sha512(cli),
    wasmSha512: sha512(wasm),
    contents: { cli, wasm },
  };
}

export function writeCliCopy(copy: PreparedCliCopy, repoRoot: string): void {
  const target = path.join(repoRoot, copy.dir);
  writeFileAtomic(path.join(target, "cli.js"), copy.contents.cli, { durable: false });
  writeFileAtomic(path.join(target, "sql-wasm.wasm"), copy.contents.wasm, { durable: false });
}

function sha512(data: Buffer): string {
  return createHash("sha512").update(data).digest("hex");
}
