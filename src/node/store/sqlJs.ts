/** Loads sql.js once per process, finding its WASM beside the bundle (dist/) or in node_modules. */
import initSqlJs, { type SqlJsStatic } from "sql.js";
import { existsSync } from "node:fs";
import path from "node:path";
import { InternalError } from "../../core/errors";

const WASM_NAME = "sql-wasm.wasm";
let loading: Promise<SqlJsStatic> | undefined;

/** Candidate locations of the WASM, best first: the built CLI/extension ships it in dist/. */
export function wasmCandidates(): string[] {
  const candidates = [path.join(__dirname, WASM_NAME), path.join(__dirname, "..", WASM_NAME)];
  try {
    candidates.push(path.join(path.dirname(require.resolve("sql.js")), WASM_NAME));
  } catch {
    // No node_modules at run time (a packaged extension): dist/ must have it.
  }
  return candidates;
}

export function locateWasm(): string {
  const found = wasmCandidates().find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new InternalError(`sql.js WASM not found; looked in ${wasmCandidates().join(", ")}`);
  }
  return found;
}

export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= initSqlJs({ locateFile: () => locateWasm() });
  return loading;
}
