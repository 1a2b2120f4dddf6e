/** Tolerant readers for the CLIs' JSON output: banners and warnings may share the stream. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Every line of `text` that is a JSON object, in order (JSONL event streams). */
export function jsonLines(text: string): JsonObject[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.startsWith("{"))
    .map(parseOrUndefined)
    .filter(isObject);
}

/** The whole of `text` as one JSON value, or else the last line that parses (a document after banners). */
export function jsonDocument(text: string): unknown {
  const whole = parseOrUndefined(text.trim());
  if (whole !== undefined) return whole;
  const start = text.search(/^[[{]/m);
  if (start >= 0) {
    const tail = parseOrUndefined(text.slice(start).trim());
    if (tail !== undefined) return tail;
  }
  return jsonLines(text).at(-1);
}

export const numberAt = (value: unknown): number =>
  typeof value === "number" && Number.isFinite(value) ? value : 0;
export const stringAt = (value: unknown): string => (typeof value === "string" ? value : "");
export const objectAt = (value: unknown): JsonObject => (isObject(value) ? value : {});

/** The last few lines of a stream, for reasons when nothing structured explains a failure. */
export function tail(text: string, lines = 5): string {
  return text.trim().split(/\r?\n/).slice(-lines).join("\n").trim();
}

/**
 * The last `type: "result"` record of an agent's JSON output, whichever of the shapes the
 * Claude-SDK-like CLIs print: one result object, an array of messages, or JSON lines.
 */
export function lastResultRecord(stdout: string): JsonObject | undefined {
  const document = jsonDocument(stdout);
  if (isObject(document) && document.type === "result") return document;
  if (Array.isArray(document)) return document.filter(isObject).findLast((entry) => entry.type === "result");
  return jsonLines(stdout).findLast((entry) => entry.type === "result");
}
