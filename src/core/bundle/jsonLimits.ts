/**
 * What JSON.parse accepts silently but a bundle must not: nesting deep enough to overflow the stack
 * of every recursive reader after it (jsonc-parser's tree, JSON.stringify), and duplicate keys, of
 * which JSON.parse keeps the last without a word.
 */
import { createScanner } from "jsonc-parser";

/** Deeper than any bundle needs (a bundle is three levels deep); far below what overflows the stack. */
export const MAX_NESTING = 128;

/**
 * The number of object keys in a parsed value, or -1 when it nests deeper than MAX_NESTING. Every
 * key in the text has a colon after it, so a text with exactly this many colons has no duplicate
 * key: the cheap test that spares almost every document the scan below.
 */
export function countKeys(value: unknown, depth = 0): number {
  if (typeof value !== "object" || value === null) return 0;
  if (depth >= MAX_NESTING) return -1;
  let keys = 0;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      if (typeof item !== "object" || item === null) continue;
      const inner = countKeys(item, depth + 1);
      if (inner < 0) return -1;
      keys += inner;
    }
    return keys;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    keys++;
    const item = record[key];
    if (typeof item !== "object" || item === null) continue;
    const inner = countKeys(item, depth + 1);
    if (inner < 0) return -1;
    keys += inner;
  }
  return keys;
}

/** How many times a character occurs in a text. */
export function countChar(text: string, character: string): number {
  let count = 0;
  for (let at = text.indexOf(character); at !== -1; at = text.indexOf(character, at + 1)) count++;
  return count;
}

/**
 * The offset of the bracket that opens level MAX_NESTING + 1, or -1 when the text stays within the
 * limit. A plain character walk that skips strings, so it works on text that is not valid JSON too.
 */
export function tooDeepAt(text: string): number {
  let depth = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x22) {
      // skip the string, escapes included
      for (at++; at < text.length; at++) {
        const inner = text.charCodeAt(at);
        if (inner === 0x5c) at++;
        else if (inner === 0x22) break;
      }
    } else if (code === 0x7b || code === 0x5b) {
      if (++depth > MAX_NESTING) return at;
    } else if (code === 0x7d || code === 0x5d) depth--;
  }
  return -1;
}

/** A key that occurs again in the same object: where the later one is, and where the first was. */
export interface DuplicateKey {
  key: string;
  /** Path of the object holding the key (keys and array indexes). */
  path: (string | number)[];
  offset: number;
  length: number;
  firstOffset: number;
}

/** Token kinds of jsonc-parser's scanner (its const enum is not readable under isolated modules). */
const OpenBrace = 1;
const CloseBrace = 2;
const OpenBracket = 3;
const CloseBracket = 4;
const Comma = 5;
const Colon = 6;
const StringLiteral = 10;
const EOF = 17;

interface Frame {
  /** Keys seen so far with their offsets; undefined for an array. */
  keys: Map<string, number> | undefined;
  /** The member being read: the last key, or the array index. */
  member: string | number;
  expectingKey: boolean;
}

/**
 * Every duplicate key of a text JSON.parse accepted (so well-formed, and within MAX_NESTING). An
 * iterative scan: no recursion, whatever the input.
 */
export function duplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const scanner = createScanner(text, true);
  const stack: Frame[] = [];
  for (let token = scanner.scan() as number; token !== EOF; token = scanner.scan() as number) {
    const top = stack[stack.length - 1] as Frame | undefined;
    if (token === OpenBrace || token === OpenBracket) {
      stack.push({ keys: token === OpenBrace ? new Map() : undefined, member: 0, expectingKey: true });
    } else if (token === CloseBrace || token === CloseBracket) {
      stack.pop();
    } else if (token === Comma && top) {
      if (top.keys) top.expectingKey = true;
      else top.member = (top.member as number) + 1;
    } else if (token === StringLiteral && top?.keys && top.expectingKey) {
      const key = scanner.getTokenValue();
      const offset = scanner.getTokenOffset();
      const first = top.keys.get(key);
      if (first === undefined) top.keys.set(key, offset);
      else
        found.push({
          key,
          path: stack.slice(0, -1).map((frame) => frame.member),
          offset,
          length: scanner.getTokenLength(),
          firstOffset: first,
        });
      top.member = key;
      top.expectingKey = false;
    } else if (token === Colon && top) {
      top.expectingKey = false;
    }
  }
  return found;
}
