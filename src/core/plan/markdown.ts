/** Reading the parts of Markdown specs a plan needs: headings, checkbox tasks, scenarios, IDX tags, paths. */

const IDX_TAG = /\[IDX-[A-Z0-9-]+\]/g;

/** IDX tags in a text, with their brackets, in order, without repeats. */
export function idxTags(text: string): string[] {
  return [...new Set(text.match(IDX_TAG) ?? [])];
}

/** The first level-1 heading, without a leading `Change:` or `Proposal:` label. */
export function firstHeading(text: string): string | undefined {
  const match = /^#\s+(.+?)\s*#*\s*$/m.exec(text);
  return match?.[1]?.replace(/^(change|proposal)\s*:\s*/i, "").trim() || undefined;
}

export interface DraftTask {
  text: string;
  /** The `##`/`###` heading the task sits under, if any. */
  section?: string;
}

/**
 * The open `- [ ]` items (also `* [ ]`), with their numbering (`1.2`) dropped. IDX tags of the
 * section heading a task sits under are carried into the task when it names none itself.
 */
export function uncheckedTasks(text: string): DraftTask[] {
  const tasks: DraftTask[] = [];
  let section: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const heading = /^#{2,6}\s+(.+?)\s*$/.exec(line);
    if (heading) {
      section = heading[1];
      continue;
    }
    const item = /^\s*[-*]\s+\[ \]\s+(.+?)\s*$/.exec(line);
    if (!item) continue;
    let task = item[1].replace(/^\d+(\.\d+)*\.?\s+/, "");
    const inherited = section ? idxTags(section) : [];
    if (idxTags(task).length === 0 && inherited.length > 0) task = `${task} ${inherited.join(" ")}`;
    tasks.push({ text: task, ...(section ? { section } : {}) });
  }
  return tasks;
}

/**
 * Acceptance hints from scenarios: each run of WHEN … THEN … (AND …) lines becomes
 * "WHEN x THEN y AND z", prefixed by the scenario name when there is one.
 */
export function scenarioHints(text: string): string[] {
  const hints: string[] = [];
  let scenario: string | undefined;
  let current: { when: string[]; then: string[] } | undefined;
  let last: "when" | "then" | undefined;
  const flush = () => {
    if (current && current.when.length > 0 && current.then.length > 0) {
      const body = `WHEN ${current.when.join(" AND ")} THEN ${current.then.join(" AND ")}`;
      hints.push(scenario ? `${scenario}: ${body}` : body);
    }
    current = undefined;
    last = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    const heading = /^#{1,6}\s+(?:Scenario:\s*)?(.+?)\s*$/.exec(line);
    if (heading) {
      flush();
      scenario = /^#{1,6}\s+Scenario:/i.test(line) ? heading[1] : undefined;
      continue;
    }
    const clause = /^\s*(?:[-*]\s+)?(?:\*\*)?(GIVEN|WHEN|THEN|AND)(?:\*\*)?\s*:?\s*(.+?)\s*$/.exec(line);
    if (!clause) continue;
    const keyword = clause[1];
    const body = clause[2];
    if (keyword === "WHEN") {
      if (current && current.then.length > 0) flush();
      current ??= { when: [], then: [] };
      current.when.push(body);
      last = "when";
    } else if (keyword === "THEN" && current) {
      current.then.push(body);
      last = "then";
    } else if (keyword === "AND" && current && last) {
      current[last].push(body);
    }
  }
  flush();
  return hints;
}

const PATH_EXTENSIONS =
  "js|jsx|mjs|cjs|ts|tsx|mts|cts|py|pyi|sh|bash|ps1|md|json|jsonc|yaml|yml|toml|sql|css|scss|html|txt|go|rs|java|rb";
const PATH_TOKEN = new RegExp(
  `(?<![\\w/.:-])((?:[\\w.-]+/)*[\\w-][\\w.-]*\\.(?:${PATH_EXTENSIONS}))(?![\\w/-])`,
  "g",
);

/**
 * File paths a text names (`example/src/inventory.js`, `README.md`), in order, without repeats.
 * URLs are ignored, and so are paths into `openspec/` itself (the change's own documents).
 */
export function namedPaths(text: string): string[] {
  const withoutUrls = text.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, " ");
  const found = [...withoutUrls.matchAll(PATH_TOKEN)].map((match) => match[1].replace(/^\.\//, ""));
  return [...new Set(found)].filter((path) => !path.startsWith("openspec/") && !/^\d+(\.\d+)+$/.test(path));
}

/** A bundle id from any name: `Add reorder points` → `ws-add-reorder-points`. */
export function bundleIdFrom(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/^ws-/, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return `ws-${slug || "draft"}`;
}
