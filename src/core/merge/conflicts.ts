/** The conflicting parts of a file git left with conflict markers, for a prompt that must resolve them. */

const START = /^<{7}(?: |$)/;
const END = /^>{7}(?: |$)/;

/**
 * Each `<<<<<<<` … `>>>>>>>` region of `text` with its line number (1-based), at most `maxLines`
 * lines in all, so one huge conflict cannot crowd the prompt out.
 */
export function conflictHunks(text: string, maxLines = 200): { line: number; text: string }[] {
  const lines = text.split("\n");
  const hunks: { line: number; text: string }[] = [];
  let budget = maxLines;
  for (let i = 0; i < lines.length && budget > 0; i++) {
    if (!START.test(lines[i])) continue;
    const start = i;
    while (i < lines.length && !END.test(lines[i])) i++;
    const region = lines.slice(start, Math.min(i + 1, lines.length, start + budget));
    budget -= region.length;
    hunks.push({ line: start + 1, text: region.join("\n") });
  }
  return hunks;
}
