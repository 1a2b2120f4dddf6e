/**
 * The journal's file format (version 1): a header line {"journal":1,"base":N,"schema":V}, then one line
 * per transaction {"s":seq,"o":[[operation, ...values],...]} (see engine.ts). Sequence numbers increase
 * by one from base + 1. A line is data: each operation must be one of statements.ts's, with exactly
 * its number of values, each text, a finite number or null. Anything else is refused, never run.
 */
import { type SqlValue } from "sql.js";
import { readSync } from "node:fs";
import { UserError } from "../../core/errors";

/** The journal format this version reads and writes. */
export const JOURNAL_FORMAT = 1;

/** One journalled write: an operation name from the statement table and its values. */
export type JournalOp = [string, ...SqlValue[]];

export interface JournalHeader {
  journal: number;
  base: number;
  schema: number;
}

export interface JournalRecord {
  s: number;
  o: JournalOp[];
}

/** How to get past a journal this version refuses, for the end of the error. */
export function journalRecovery(dbPath: string): string {
  return (
    `It was left unchanged. Restore the store and its journal from a backup, or run ` +
    `\`wsp db init --db ${dbPath} --discard-journal\` to set the journal aside (it is kept, renamed) ` +
    `and reopen the store as of its last checkpoint.`
  );
}

export function readHeader(fd: number, file: string): { header: JournalHeader; length: number } {
  const buffer = Buffer.alloc(256);
  const read = readSync(fd, buffer, 0, buffer.length, 0);
  const end = buffer.subarray(0, read).indexOf(10);
  if (end < 0) throw new UserError(`${file} has no journal header; it was left unchanged.`);
  let header: JournalHeader;
  try {
    header = JSON.parse(buffer.toString("utf8", 0, end)) as JournalHeader;
    if (!isCount(header.base) || !isCount(header.schema)) throw new Error("fields");
  } catch {
    throw new UserError(`${file} has a malformed journal header; it was left unchanged.`);
  }
  if (header.journal !== JOURNAL_FORMAT) {
    throw new UserError(
      `${file} is in journal format ${JSON.stringify(header.journal)}; this version reads format ` +
        `${JOURNAL_FORMAT} only (a newer wsp, or not a wsp journal). It was left unchanged.`,
    );
  }
  return { header, length: end + 1 };
}

/**
 * Parses one transaction line and checks every operation against `operations` (name → number of
 * values). Throws a `UserError` naming the file and line for anything else. `recovery` ends the message.
 */
export function parseRecord(
  text: string,
  file: string,
  line: number,
  operations: ReadonlyMap<string, { arity: number }>,
  recovery: string,
): JournalRecord {
  const refuse = (problem: string): UserError =>
    new UserError(`${file} line ${line}: ${problem}. ${recovery}`);
  let record: JournalRecord;
  try {
    record = JSON.parse(text) as JournalRecord;
  } catch {
    throw refuse("malformed journal line (not JSON)");
  }
  if (typeof record !== "object" || record === null || !isCount(record.s) || !Array.isArray(record.o)) {
    throw refuse('malformed journal line (expected {"s": sequence, "o": [operations]})');
  }
  for (const op of record.o as unknown[]) {
    if (!Array.isArray(op) || op.length === 0) throw refuse("malformed journal operation (not a list)");
    const [name, ...values] = op as unknown[];
    const operation = typeof name === "string" ? operations.get(name) : undefined;
    if (operation === undefined) {
      const shown = JSON.stringify(name) ?? String(name);
      throw refuse(`unknown journal operation ${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}`);
    }
    if (values.length !== operation.arity) {
      throw refuse(
        `journal operation ${JSON.stringify(name)} needs ${operation.arity} values, found ${values.length}`,
      );
    }
    if (!values.every(isColumnValue)) {
      throw refuse(
        `journal operation ${JSON.stringify(name)} has a value that is not text, a number or null`,
      );
    }
  }
  return record;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isColumnValue(value: unknown): value is SqlValue {
  return value === null || typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}
