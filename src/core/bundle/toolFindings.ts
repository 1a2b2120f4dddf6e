/** Rule 8: every tool a bundle names (tool, static_tools, runtime_tools) is a defined tool profile. */
import { where, type Finding } from "./findings";
import { type ScopedEntry } from "./overlaps";

/** Rule 8 for one bundle; most name known tools, and get the shared empty list. */
export function toolFindings(entry: ScopedEntry, ids: ReadonlySet<string>): readonly Finding[] {
  const value = entry.value as Record<string, unknown>;
  let findings: Finding[] | undefined;
  if (typeof value.tool === "string" && !ids.has(value.tool))
    (findings ??= []).push(unknownTool(entry, value.tool, ["tool"], "tool", ids));
  for (const field of toolListFields) {
    const list = value[field];
    if (!Array.isArray(list)) continue;
    for (let position = 0; position < list.length; position++) {
      const name: unknown = list[position];
      if (typeof name === "string" && !ids.has(name))
        (findings ??= []).push(unknownTool(entry, name, [field, position], field, ids));
    }
  }
  return findings ?? noFindings;
}

const toolListFields = ["static_tools", "runtime_tools"] as const;
export const noFindings: readonly Finding[] = [];

function unknownTool(
  entry: ScopedEntry,
  name: string,
  path: (string | number)[],
  field: string,
  ids: ReadonlySet<string>,
): Finding {
  return {
    ...where(entry),
    path,
    type: "config",
    severity: "error",
    message: `Unknown tool profile "${name}" in ${field}; defined profiles: ${[...ids].sort().join(", ")}.`,
  };
}
