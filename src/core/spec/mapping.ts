/**
 * Spec-to-code mapping: module, function, phase and version per tag, by the original pipeline's
 * rules (category → module/phase, description verb → function, number → version). Every table
 * can be overridden, and single tags can be pinned, from `config/spec_mapping.yaml`.
 */

/** A tag split into its parts: `IDX-TOOL-AIDER-CONFIG-05` → TOOL / AIDER-CONFIG / 5. */
export interface ParsedTag {
  category: string;
  subcategory: string;
  number: number;
}

export interface TagMapping {
  module: string;
  function: string;
  phase: string;
  version: string;
}

/** The tables the mapping is computed from; `mergeMappingRules` lays overrides over the defaults. */
export interface MappingRules {
  /** Category → module path. */
  modules: Record<string, string>;
  /** Module for a category no table names. */
  defaultModule: string;
  /** Category → phase id. */
  phases: Record<string, string>;
  /** Category → function name prefix (`SCHEMA` is special: it gives `<sub>_table`). */
  functionPrefixes: Record<string, string>;
  /** Description verbs, checked in order: the first keyword found (as a substring) gives `<verb>_<sub>`. */
  verbs: Array<{ verb: string; keywords: string[] }>;
  /** Versions by number: the first entry whose `max` is ≥ the number; numbers above all get `above`. */
  versions: { bands: Array<{ max: number; version: string }>; above: string };
  /** Per-tag pins, applied last. */
  tags: Record<string, Partial<TagMapping>>;
}

const TBD = "TBD";

/** The original's rules, exactly (module paths included), so its known examples map the same. */
export const ORIGINAL_MAPPING_RULES: MappingRules = {
  modules: {
    DB: "src/pipeline/db.py",
    DATABASE: "src/pipeline/db.py",
    STATE: "src/pipeline/db.py",
    PROMPT: "src/pipeline/prompts.py",
    TOOL: "src/pipeline/tools.py",
    ADAPTER: "src/pipeline/tools.py",
    WORKTREE: "src/pipeline/worktree.py",
    BUNDLE: "src/pipeline/bundles.py",
    CB: "src/pipeline/circuit_breakers.py",
    CIRCUIT: "src/pipeline/circuit_breakers.py",
    RECOVERY: "src/pipeline/recovery.py",
    ORCHESTRATOR: "src/pipeline/orchestrator.py",
    SCHEDULER: "src/pipeline/scheduler.py",
    EXECUTOR: "src/pipeline/executor.py",
    SCHEMA: "schema/schema.sql",
    CONFIG: "config/",
    DOC: "docs/",
    DOCS: "docs/",
  },
  defaultModule: "src/pipeline/",
  phases: {
    SPEC: "PH-01",
    INDEX: "PH-01",
    STUB: "PH-01",
    DB: "PH-02",
    DATABASE: "PH-02",
    STATE: "PH-02",
    SCHEMA: "PH-02",
    CRUD: "PH-02",
    TOOL: "PH-03",
    ADAPTER: "PH-03",
    PROMPT: "PH-03",
    PROFILE: "PH-03",
    ORCHESTRATOR: "PH-04",
    SCHEDULER: "PH-04",
    EXECUTOR: "PH-04",
    CB: "PH-05",
    CIRCUIT: "PH-05",
    RECOVERY: "PH-05",
    BUNDLE: "PH-06",
    WORKTREE: "PH-06",
  },
  functionPrefixes: {
    DB: "db_",
    PROMPT: "render_",
    TOOL: "run_",
    WORKTREE: "manage_",
    STATE: "validate_",
  },
  verbs: [
    { verb: "create", keywords: ["create"] },
    { verb: "update", keywords: ["update"] },
    { verb: "delete", keywords: ["delete", "remove"] },
    { verb: "get", keywords: ["get", "fetch"] },
    { verb: "validate", keywords: ["validate"] },
    { verb: "init", keywords: ["init"] },
    { verb: "run", keywords: ["run", "execute"] },
  ],
  versions: {
    bands: [
      { max: 50, version: "v1.0" },
      { max: 99, version: "v2.0" },
    ],
    above: "v3.0",
  },
  tags: {},
};

/**
 * Splits a tag like the original's `IDX-([A-Z]+)-([A-Z0-9-]+)-(\d+)`, by hand so a pathological tag
 * cannot make a regular expression backtrack. Accepts the tag with or without brackets.
 */
export function parseTag(tag: string): ParsedTag | undefined {
  const idx = tag.startsWith("[") && tag.endsWith("]") ? tag.slice(1, -1) : tag;
  if (!idx.startsWith("IDX-")) return undefined;
  const body = idx.slice(4);
  const firstHyphen = body.indexOf("-");
  const lastHyphen = body.lastIndexOf("-");
  // category, at least one subcategory character, then the number: two hyphens at least.
  if (firstHyphen <= 0 || lastHyphen <= firstHyphen + 1) return undefined;
  const category = body.slice(0, firstHyphen);
  const subcategory = body.slice(firstHyphen + 1, lastHyphen);
  const digits = body.slice(lastHyphen + 1);
  if (!/^[A-Z]+$/.test(category) || !/^[A-Z0-9-]+$/.test(subcategory) || !/^\d+$/.test(digits)) {
    return undefined;
  }
  return { category, subcategory, number: Number.parseInt(digits, 10) };
}

/** The mapping of one tag; an unparseable tag gets TBD everywhere and v1.0, as in the original. */
export function mapTag(idx: string, description: string, rules: MappingRules): TagMapping {
  const pinned = rules.tags[idx] ?? {};
  const parsed = parseTag(idx);
  const computed: TagMapping =
    parsed === undefined
      ? { module: TBD, function: TBD, phase: TBD, version: "v1.0" }
      : {
          module: moduleOf(parsed, rules),
          function: functionOf(parsed, description, rules),
          phase: rules.phases[parsed.category] ?? TBD,
          version: versionOf(parsed.number, rules),
        };
  return { ...computed, ...pinned };
}

function moduleOf({ category, subcategory }: ParsedTag, rules: MappingRules): string {
  if (subcategory.includes("SCHEMA")) return rules.modules.SCHEMA ?? "schema/schema.sql";
  if (subcategory.startsWith("TEST")) return `tests/pipeline/test_${category.toLowerCase()}.py`;
  if (subcategory.startsWith("SCRIPT")) return "scripts/";
  return rules.modules[category] ?? rules.defaultModule;
}

function functionOf({ category, subcategory }: ParsedTag, description: string, rules: MappingRules): string {
  const sub = subcategory.toLowerCase().replaceAll("-", "_");
  const lower = description.toLowerCase();
  // Substring matching is the original's rule, quirks included: "definition" contains "init".
  for (const { verb, keywords } of rules.verbs) {
    if (keywords.some((keyword) => lower.includes(keyword))) return `${verb}_${sub}`;
  }
  if (category === "SCHEMA") return `${sub}_table`;
  const prefix = rules.functionPrefixes[category];
  return prefix === undefined ? sub : `${prefix}${sub}`;
}

function versionOf(number: number, rules: MappingRules): string {
  for (const band of rules.versions.bands) if (number <= band.max) return band.version;
  return rules.versions.above;
}

/** Overrides from the configuration, table by table. */
export interface MappingOverrides {
  modules?: Record<string, string>;
  defaultModule?: string;
  phases?: Record<string, string>;
  functionPrefixes?: Record<string, string>;
  tags?: Record<string, Partial<TagMapping>>;
}

/** Lays overrides over base rules: table entries replace entries of the same key; the rest stays. */
export function mergeMappingRules(base: MappingRules, overrides: MappingOverrides): MappingRules {
  return {
    ...base,
    modules: { ...base.modules, ...overrides.modules },
    defaultModule: overrides.defaultModule ?? base.defaultModule,
    phases: { ...base.phases, ...overrides.phases },
    functionPrefixes: { ...base.functionPrefixes, ...overrides.functionPrefixes },
    tags: { ...base.tags, ...overrides.tags },
  };
}
