/**
 * What a FIX prompt carries and how errors are recognised again: the failing part of a tool's
 * output (error lines and the tail, not the head, where the useful part of a failure usually is)
 * and a normalised error text whose hash stays the same across runs of the same failure.
 */

const ERROR_LINE =
  /\b(error|errors|fail|failed|failure|failing|assert\w*|expected|actual|exception|traceback|panic|not ok|cannot|undefined|unexpected)\b|✖|✗|^\s*at\s|^E\s/i;

export interface FailureExcerptOptions {
  /** Lines kept from the end of the output. */
  tailLines: number;
  /** Error lines kept from before the tail. */
  maxErrorLines: number;
  /** Hard cap on the excerpt's characters; the end is kept. */
  maxChars: number;
}

const DEFAULT_EXCERPT: FailureExcerptOptions = { tailLines: 40, maxErrorLines: 40, maxChars: 6000 };

/**
 * The part of a failing tool's output worth showing an editor: lines that look like errors from
 * before the tail, then the tail itself. The head (banners, progress) is dropped.
 */
export function extractFailureExcerpt(output: string, options: Partial<FailureExcerptOptions> = {}): string {
  const { tailLines, maxErrorLines, maxChars } = { ...DEFAULT_EXCERPT, ...options };
  const lines = output.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
  const tailStart = Math.max(0, lines.length - tailLines);
  const errorLines = lines
    .slice(0, tailStart)
    .filter((line) => ERROR_LINE.test(line))
    .slice(-maxErrorLines);
  const omitted = tailStart - errorLines.length;
  const parts = [...errorLines];
  if (omitted > 0) parts.push(`[... ${omitted} other earlier lines omitted]`);
  parts.push(...lines.slice(tailStart));
  const excerpt = parts.join("\n");
  return excerpt.length > maxChars ? `[...]${excerpt.slice(excerpt.length - maxChars)}` : excerpt;
}

/**
 * Normalises an error text so the same failure hashes the same way run after run: paths, line and
 * column numbers, timestamps, durations, hex ids and addresses are removed; whitespace collapses.
 */
export function normalizeErrorText(text: string): string {
  return (
    text
      // ISO timestamps and clock times.
      .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, "<ts>")
      .replace(/\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b/g, "<time>")
      // Absolute and relative paths (POSIX and Windows), keeping nothing of them.
      .replace(/(?:[A-Za-z]:\\|\\\\)[^\s:'"()]+/g, "<path>")
      .replace(/(?:file:\/\/)?(?:\.{0,2}\/)?(?:[\w.@+-]+\/)+[\w.@+-]+/g, "<path>")
      // Line and column numbers: "file:12:5", "line 12", "(12,5)".
      .replace(/:\d+(?::\d+)?\b/g, ":<n>")
      .replace(/\bline \d+\b/gi, "line <n>")
      .replace(/\(\d+,\s*\d+\)/g, "(<n>)")
      // Hex ids, hashes and addresses.
      .replace(/\b0x[0-9a-f]+\b/gi, "<hex>")
      .replace(/\b[0-9a-f]{7,}\b/gi, "<hex>")
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>")
      // Durations ("12ms", "1.5s", "duration_ms: 41.2").
      .replace(/\b\d+(?:\.\d+)?\s?(?:ms|s|sec|seconds)\b/g, "<dur>")
      .replace(/(duration_ms[:=]?\s*)\d+(?:\.\d+)?/g, "$1<dur>")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 4000)
  );
}

/** The text whose hash is the error signature: step and normalised failing output. */
export function signatureText(step: string, failureOutput: string): string {
  return `${step}|${normalizeErrorText(extractFailureExcerpt(failureOutput))}`;
}
