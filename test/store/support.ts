/** Helpers for the store tests: temp dirs, bundled child scripts, a raw integrity check. */
import { buildSync } from "esbuild";
import { copyFileSync, createReadStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadSqlJs, locateWasm } from "../../src/node/store/sqlJs";

export function makeTempDir(prefix = "wsp-store-"): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Bundles a child script (as esbuild bundles the CLI) into `outDir` with the WASM beside it, so
 * children start in ~100 ms instead of loading TypeScript through tsx each time.
 */
export function bundleScript(entry: string, outDir: string): string {
  const outfile = path.join(outDir, `${path.basename(entry, ".ts")}.js`);
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "error",
  });
  copyFileSync(locateWasm(), path.join(outDir, "sql-wasm.wasm"));
  return outfile;
}

/** Runs PRAGMA integrity_check on the SQLite file itself (not through the store). */
export async function integrityCheck(file: string): Promise<string> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(file));
  try {
    return String(db.exec("PRAGMA integrity_check")[0]?.values[0]?.[0]);
  } finally {
    db.close();
  }
}

export function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("end", () => resolve(hash.digest("hex")))
      .on("error", reject);
  });
}

export const FIXTURES = path.join(__dirname, "fixtures");
