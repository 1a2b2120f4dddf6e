/** Helpers for the store tests: temp dirs, bundled child scripts, a raw integrity check. */
import { copyFileSync, createReadStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadSqlJs, locateWasm } from "../../src/node/store/sqlJs";
import { bundleScript as bundleChildScript } from "../support/bundleScript";

export function makeTempDir(prefix = "wsp-store-"): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A bundled child script (see test/support/bundleScript) with sql.js's WASM beside it. */
export function bundleScript(entry: string, outDir: string): string {
  const script = bundleChildScript(entry, outDir);
  copyFileSync(locateWasm(), path.join(outDir, "sql-wasm.wasm"));
  return script;
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
