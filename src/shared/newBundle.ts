/** The id pattern bundles must follow (the schema's `id.pattern`). */
export const WORKSTREAM_ID_PATTERN = /^ws-[a-z0-9-]+$/;

/** Turns any text into the nearest id that fits the pattern, e.g. `Inventory Core` → `ws-inventory-core`. */
export function toWorkstreamId(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/^ws[-_ ]+/, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `ws-${slug || "new"}`;
}

/** The text of a fresh bundle file with the required fields filled in. */
export function newBundleText(id: string): string {
  const bundle = {
    id,
    title: "",
    openspec_change: id.replace(/^ws-/, ""),
    ccpm_issue: 0,
    gate: 1,
    files_scope: ["src/"],
    files_create: [],
    tasks: ["Describe the first task"],
    acceptance_tests: [],
    depends_on: [],
    tool: "scripted",
  };
  return `${JSON.stringify(bundle, null, 2)}\n`;
}
