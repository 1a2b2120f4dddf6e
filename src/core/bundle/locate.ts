/**
 * Where a JSON path's value sits in a document's text, found by walking jsonc-parser's token
 * scanner: no tree is built, and the walk skips every sibling it does not descend into. Used for
 * texts JSON.parse accepted, where most documents need one or two positions at most.
 */
import { createScanner, type JSONScanner } from "jsonc-parser";

/**
 * jsonc-parser's token kinds. Its `SyntaxKind` is an ambient const enum, which isolated modules
 * cannot read, so the published values are repeated here.
 */
const SyntaxKind = {
  OpenBraceToken: 1,
  CloseBraceToken: 2,
  OpenBracketToken: 3,
  CloseBracketToken: 4,
  CommaToken: 5,
  ColonToken: 6,
  NullKeyword: 7,
  TrueKeyword: 8,
  FalseKeyword: 9,
  StringLiteral: 10,
  NumericLiteral: 11,
  EOF: 17,
} as const;

/** The scanner's token kinds as plain numbers, to compare with the table above. */
const current = (scanner: JSONScanner): number => scanner.getToken();
const advance = (scanner: JSONScanner): number => scanner.scan();

/** The value's range, as jsonc-parser's tree gives it, and its property key's range when it has one. */
export interface ValueRange {
  offset: number;
  length: number;
  /** True for objects and arrays. */
  container: boolean;
  key?: { offset: number; length: number };
}

/** The range of the value at `path`, or undefined when the path does not exist or the text is not JSON. */
export function locateValue(text: string, path: readonly (string | number)[]): ValueRange | undefined {
  const scanner = createScanner(text, true);
  advance(scanner);
  let key: ValueRange["key"];
  for (const segment of path) {
    const token = current(scanner);
    if (token === SyntaxKind.OpenBraceToken && typeof segment === "string") {
      const found = enterProperty(scanner, segment);
      if (found === null) return undefined;
      key = found;
    } else if (token === SyntaxKind.OpenBracketToken && typeof segment === "number") {
      key = undefined;
      if (!enterItem(scanner, segment)) return undefined;
    } else return undefined;
  }
  const token = current(scanner);
  const container = token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken;
  if (!container && !isLiteral(token)) return undefined;
  const range: ValueRange = {
    offset: scanner.getTokenOffset(),
    length: scanner.getTokenLength(),
    container,
  };
  if (key) range.key = key;
  return range;
}

function isLiteral(token: number): boolean {
  return (
    token === SyntaxKind.StringLiteral ||
    token === SyntaxKind.NumericLiteral ||
    token === SyntaxKind.TrueKeyword ||
    token === SyntaxKind.FalseKeyword ||
    token === SyntaxKind.NullKeyword
  );
}

/**
 * From an object's `{`, moves to the value of its first property named `name` (as jsonc-parser's
 * findNodeAtLocation picks it) and returns the key's range; null when there is none.
 */
function enterProperty(scanner: JSONScanner, name: string): { offset: number; length: number } | null {
  let token = advance(scanner);
  while (token === SyntaxKind.StringLiteral) {
    const matches = scanner.getTokenValue() === name;
    const key = { offset: scanner.getTokenOffset(), length: scanner.getTokenLength() };
    if (advance(scanner) !== SyntaxKind.ColonToken) return null;
    advance(scanner);
    if (matches) return key;
    if (!skipValue(scanner)) return null;
    token = advance(scanner);
    if (token !== SyntaxKind.CommaToken) return null;
    token = advance(scanner);
  }
  return null;
}

/** From an array's `[`, moves to item `index`; false when the array is shorter. */
function enterItem(scanner: JSONScanner, index: number): boolean {
  let token = advance(scanner);
  for (let at = 0; token !== SyntaxKind.CloseBracketToken && token !== SyntaxKind.EOF; at++) {
    if (at === index) return true;
    if (!skipValue(scanner)) return false;
    token = advance(scanner);
    if (token !== SyntaxKind.CommaToken) return false;
    token = advance(scanner);
  }
  return false;
}

/** Moves to the last token of the value starting at the current token. */
function skipValue(scanner: JSONScanner): boolean {
  const token = current(scanner);
  if (token !== SyntaxKind.OpenBraceToken && token !== SyntaxKind.OpenBracketToken) return isLiteral(token);
  let depth = 1;
  while (depth > 0) {
    const next = advance(scanner);
    if (next === SyntaxKind.OpenBraceToken || next === SyntaxKind.OpenBracketToken) depth++;
    else if (next === SyntaxKind.CloseBraceToken || next === SyntaxKind.CloseBracketToken) depth--;
    else if (next === SyntaxKind.EOF) return false;
  }
  return true;
}
