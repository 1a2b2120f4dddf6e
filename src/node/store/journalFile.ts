/**
 * The journal's file format: a header line {"journal":1,"base":N,"schema":V}, then one line per
 * transaction {"s":seq,"o":[[opcode,...params],...]} (see engine.ts).
 */
import { type SqlValue } from "sql.js";
import { readSync } from "node:fs";
import { UserError } from "../../core/errors";

/** One journalled statement: an opcode from the statement table and its parameters. */
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

export function readHeader(fd: number, file: string): { header: JournalHeader; length: number } {
  const buffer = Buffer.alloc(256);
  const read = readSync(fd, buffer, 0, buffer.length, 0);
  const end = buffer.subarray(0, read).indexOf(10);
  if (end < 0) throw new UserError(`${file} has no journal header; it was left unchanged.`);
  try {
    const header = JSON.parse(buffer.toString("utf8", 0, end)) as JournalHeader;
    if (typeof header.base !== "number" || typeof header.schema !== "number") throw new Error("fields");
    return { header, length: end + 1 };
  } catch {
    throw new UserError(`${file} has a malformed journal header; it was left unchanged.`);
  }
}

export function parseRecord(line: string, file: string, offset: number): JournalRecord {
  try {
    const record = JSON.parse(line) as JournalRecord;
    if (typeof record.s !== "number" || !Array.isArray(record.o)) throw new Error("fields");
    return record;
  } catch {
    throw new UserError(`${file} has a malformed journal line at byte ${offset}; it was left unchanged.`);
  }
}
