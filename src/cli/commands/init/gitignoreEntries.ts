/** Pure helpers for the entries `wsp init` adds to .gitignore. */

/** Normalises an ignore line for comparison: `/state`, `state/` and `state` all mean the folder here. */
function normalise(line: string): string {
  return line.trim().replace(/^\//, "").replace(/\/$/, "");
}

/** The entries of `wanted` that `text` (a .gitignore) does not already have. */
export function missingIgnoreEntries(text: string, wanted: readonly string[]): string[] {
  const present = new Set(
    text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== "" && !line.trim().startsWith("#"))
      .map(normalise),
  );
  return wanted.filter((entry) => !present.has(normalise(entry)));
}

/** `text` with `entries` appended under a comment, keeping everything that was there. */
export function appendIgnoreEntries(text: string, entries: readonly string[]): string {
  if (entries.length === 0) return text;
  const base = text === "" || text.endsWith("\n") ? text : `${text}\n`;
  const spacer = base === "" ? "" : "\n";
  return `${base}${spacer}# Workstream Pipeline: worktrees and the state store\n${entries.join("\n")}\n`;
}
