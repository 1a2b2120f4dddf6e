/** Helpers for the store tests: temp dirs, bundled child scripts, a raw integrity check. */
import { spawn } from "node:child_process";
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

/**
 * Runs a child script to its end. `onReady` fires once its stdout starts with "ready"; the promise
 * gives its stdout, or fails with its stderr when it exits other than with 0.
 */
export function runChild(
  script: string,
  args: string[],
  onReady: () => void = () => undefined,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let ready = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (!ready && stdout.startsWith("ready\n")) {
        ready = true;
        onReady();
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0)
        reject(new Error(`${path.basename(script)} ${args.join(" ")} exited ${String(code)}: ${stderr}`));
      else resolve(stdout);
    });
  });
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
