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

export interface PreparedCliCopy extends CliCopy {
  contents: { cli: Buffer; cliMain: Buffer; wasm: Buffer };
}

/** Reads and hashes the built CLI; writes nothing. */
export function prepareCliCopy(builtCli: string): PreparedCliCopy {
  const sourceDir = path.dirname(builtCli);
  // cli.js is the launcher (src/cli/launch.ts); it loads cliMain.js beside it.
  const files = ["cli.js", "cliMain.js", "sql-wasm.wasm"].map((name) => path.join(sourceDir, name));
  for (const file of files)
    if (!existsSync(file))
      throw new UserError(
        `no built CLI at ${file} to copy (run npm run build, or pass --install with a line that puts wsp on PATH)`,
      );
  const [cli, cliMain, wasm] = files.map((file) => readFileSync(file));
  return {
    dir: CLI_COPY_DIR,
    cliSha512: sha512(cli),
    cliMainSha512: sha512(cliMain),
    wasmSha512: sha512(wasm),
    contents: { cli, cliMain, wasm },
  };
}

export function writeCliCopy(copy: PreparedCliCopy, repoRoot: string): void {
  const target = path.join(repoRoot, copy.dir);
  writeFileAtomic(path.join(target, "cli.js"), copy.contents.cli, { durable: false });
  writeFileAtomic(path.join(target, "cliMain.js"), copy.contents.cliMain, { durable: false });
  writeFileAtomic(path.join(target, "sql-wasm.wasm"), copy.contents.wasm, { durable: false });
}

function sha512(data: Buffer): string {
  return createHash("sha512").update(data).digest("hex");
}
