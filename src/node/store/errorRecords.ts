/** The errors table: one row per run, workstream, step and signature, counting repeats. */
import { createHash } from "node:crypto";
import { type SqlValue } from "sql.js";
import { signatureInput, type ErrorRow, type RecordErrorInput } from "../../core/store";
import { type JournaledDb, type Transaction } from "./engine";
import { allRows, firstRow, jsonText, toErrorRow } from "./rows";
import { nextId, run } from "./tableAccess";

/** SHA-1 of `code|normalised message`, as the original computed error signatures. */
export function errorSignature(code: string, message: string): string {
  return createHash("sha1").update(signatureInput(code, message)).digest("hex");
}

export function recordError(
  engine: JournaledDb,
  tx: Transaction,
  input: RecordErrorInput,
  timestamp: () => string,
): ErrorRow {
  const signature = input.signature ?? errorSignature(input.step ?? input.code ?? "", input.message);
  const key: SqlValue[] = [input.runId ?? null, input.wsId ?? null, input.step ?? null, signature];
  const existing = firstRow(
    engine.statement(
      "SELECT * FROM errors WHERE run_id IS ? AND ws_id IS ? AND step_name IS ? AND signature = ? LIMIT 1",
    ),
    key,
  );
  const at = timestamp();
  const context = jsonText(input.context);
  if (existing !== undefined) {
    const row = toErrorRow(existing);
    const updated: ErrorRow = {
      ...row,
      count: row.count + 1,
      lastSeenAt: at,
      message: input.message,
      context: input.context ?? null,
    };
    run(tx, "error.repeat", [updated.count, at, input.message, context, row.id]);
    return updated;
  }
  const id = nextId(engine, "errors");
  run(tx, "error.insert", [
    id,
    key[0],
    key[1],
    key[2],
    input.code ?? null,
    signature,
    input.message,
    context,
    1,
    at,
    at,
  ]);
  return {
    id,
    runId: input.runId ?? null,
    wsId: input.wsId ?? null,
    step: input.step ?? null,
    code: input.code ?? null,
    signature,
    message: input.message,
    context: input.context ?? null,
    count: 1,
    firstSeenAt: at,
    lastSeenAt: at,
  };
}

export function listErrors(
  engine: JournaledDb,
  filter: { runId?: string; wsId?: string; signature?: string },
): ErrorRow[] {
  return allRows(
    engine.statement(
      `SELECT * FROM errors WHERE (?1 IS NULL OR run_id = ?1) AND (?2 IS NULL OR ws_id = ?2)
             AND (?3 IS NULL OR signature = ?3) ORDER BY last_seen_at DESC, id DESC`,
    ),
    [filter.runId ?? null, filter.wsId ?? null, filter.signature ?? null],
  ).map(toErrorRow);
}
