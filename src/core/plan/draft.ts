/** Drafting a workstream bundle from an OpenSpec change or a Markdown spec; pure over the texts. */
import { type Bundle } from "../bundle/types";
import { bundleIdFrom, firstHeading, idxTags, namedPaths, scenarioHints, uncheckedTasks } from "./markdown";

export interface OpenSpecChange {
  /** The change id (its folder name). */
  changeId: string;
  /** Folder of the change, repository-relative, for the bundle's metadata. */
  source: string;
  proposal: string | undefined;
  tasks: string | undefined;
  /** Other documents of the change (design.md, specs/**\/spec.md), by relative path. */
  documents: Record<string, string>;
}

export interface DraftOptions {
  id?: string;
  tool: string;
  capability?: string;
  gate: number;
  ccpmIssue: number | string;
  /** Extra files_scope entries given on the command line. */
  filesScope: string[];
  /** Tells whether a path exists in the repository; paths that do not go to files_create too. */
  exists: (path: string) => boolean;
}

export type DraftResult = { bundle: Bundle; problems: [] } | { bundle?: undefined; problems: string[] };

/** Drafts one bundle for an OpenSpec change: title, tasks, hints, scope and IDX tags from its documents. */
export function draftFromOpenSpec(change: OpenSpecChange, options: DraftOptions): DraftResult {
  const title = (change.proposal && firstHeading(change.proposal)) ?? change.changeId;
  const tasks = uncheckedTasks(change.tasks ?? "").map((task) => task.text);
  const allText = [change.proposal ?? "", change.tasks ?? "", ...Object.values(change.documents)].join("\n");
  const hints = Object.values(change.documents).flatMap(scenarioHints);
  return assemble({
    id: options.id ?? bundleIdFrom(change.changeId),
    title,
    openspecChange: change.changeId,
    source: change.source,
    tasks,
    hints,
    text: allText,
    options,
  });
}

/**
 * Drafts one bundle from a single Markdown spec: `- [ ]` items are the tasks; without any, each
 * list item that carries an IDX tag becomes one.
 */
export function draftFromSpec(file: string, text: string, options: DraftOptions): DraftResult {
  const title = firstHeading(text) ?? file;
  let tasks = uncheckedTasks(text).map((task) => task.text);
  if (tasks.length === 0) tasks = taggedListItems(text);
  const stem = file.replace(/^.*\//, "").replace(/\.[^.]+$/, "");
  return assemble({
    id: options.id ?? bundleIdFrom(stem === "spec" ? title : stem),
    title,
    openspecChange: stem.toUpperCase(),
    source: file,
    tasks,
    hints: scenarioHints(text),
    text,
    options,
  });
}

function taggedListItems(text: string): string[] {
  const items: string[] = [];
  let current: string | undefined;
  const flush = () => {
    if (current && idxTags(current).length > 0)
      items.push(current.replace(/\*\*/g, "").replace(/\s+/g, " ").trim());
    current = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    const item = /^\s*[-*]\s+(.+)$/.exec(line);
    if (item) {
      flush();
      current = item[1];
    } else if (current !== undefined && /^\s{2,}\S/.test(line)) current += ` ${line.trim()}`;
    else flush();
  }
  flush();
  return items;
}

function assemble(parts: {
  id: string;
  title: string;
  openspecChange: string;
  source: string;
  tasks: string[];
  hints: string[];
  text: string;
  options: DraftOptions;
}): DraftResult {
  const { options } = parts;
  const named = namedPaths(parts.text);
  const scope = [...new Set([...options.filesScope, ...named])];
  const problems: string[] = [];
  if (scope.length === 0)
    problems.push("names no file paths, so the file scope would be empty; pass --files-scope");
  if (parts.tasks.length === 0) problems.push("has no open `- [ ]` tasks");
  if (problems.length > 0) return { problems };
  const bundle: Bundle = {
    id: parts.id,
    title: parts.title,
    openspec_change: parts.openspecChange,
    ccpm_issue: options.ccpmIssue,
    gate: options.gate,
    files_scope: scope,
    files_create: scope.filter((path) => !options.exists(path)),
    tasks: parts.tasks,
    acceptance_tests: [],
    depends_on: [],
    tool: options.tool,
    ...(options.capability ? { capability: options.capability } : {}),
    metadata: {
      generated_by: "wsp plan",
      source: parts.source,
      draft: true,
      acceptance_hints: parts.hints,
      idx_tags: idxTags(parts.tasks.join("\n")),
    },
  };
  return { bundle, problems: [] };
}
