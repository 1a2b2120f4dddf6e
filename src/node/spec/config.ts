/**
 * `config/spec_mapping.yaml`: where the spec scan looks (`scan`) and how tags map to code
 * (`modules`, `default_module`, `phases`, `function_prefixes`, `tags`). Every key is optional; a
 * missing file means the defaults. A malformed file is a UserError naming the file, line and key.
 */
import { readConfigTextIfExists } from "../files/configText";
import path from "node:path";
import { UserError } from "../../core/errors";
import { type MappingOverrides, type TagMapping } from "../../core/spec/mapping";
import { DEFAULT_SPEC_GLOBS } from "../../core/spec/scanDefaults";

export const DEFAULT_SPEC_CONFIG_PATH = "config/spec_mapping.yaml";

/** Repo-relative globs (picomatch syntax) of the files each kind of scan reads. */
export interface SpecScanConfig {
  docs: string[];
  /** Docs never scanned: by default the generated map, so it cannot index itself. */
  docsExclude: string[];
  code: string[];
  tests: string[];
  bundles: string[];
  /** Code, test and bundle files never scanned (e.g. the spec scanner's own fixtures). */
  exclude: string[];
}

export interface SpecConfig {
  scan: SpecScanConfig;
  mapping: MappingOverrides;
}

export const DEFAULT_SCAN_CONFIG: SpecScanConfig = {
  docs: [...DEFAULT_SPEC_GLOBS.docs],
  docsExclude: [...DEFAULT_SPEC_GLOBS.docsExclude],
  code: [...DEFAULT_SPEC_GLOBS.code],
  tests: [...DEFAULT_SPEC_GLOBS.tests],
  bundles: [...DEFAULT_SPEC_GLOBS.bundles],
  exclude: [],
};

/**
 * Reads the configuration at `configPath` (relative to `base`); the defaults when the file is absent,
 * unless `required` (a path the user named must exist).
 */
export async function loadSpecConfig(
  base: string,
  configPath = DEFAULT_SPEC_CONFIG_PATH,
  { required = false } = {},
): Promise<SpecConfig> {
  const absolute = path.resolve(base, configPath);
  const text = readConfigTextIfExists(absolute);
  if (text === undefined) {
    if (!required) return { scan: DEFAULT_SCAN_CONFIG, mapping: {} };
    throw new UserError(`cannot read ${configPath}: no such file`);
  }
  return parseSpecConfig(text, configPath);
}

/** Parses and checks the YAML text of a spec configuration. */
export async function parseSpecConfig(text: string, fileName: string): Promise<SpecConfig> {
  // Loaded only when a configuration exists: `wsp spec index` on a bare docs tree stays light.
  const yaml = await import("js-yaml");
  let raw: unknown;
  try {
    raw = yaml.load(text);
  } catch (error) {
    if (error instanceof yaml.YAMLException && error.mark !== undefined) {
      throw new UserError(
        `${fileName}:${error.mark.line + 1}:${error.mark.column + 1}: invalid YAML: ${error.reason}`,
      );
    }
    throw new UserError(`${fileName}: invalid YAML: ${(error as Error).message}`);
  }
  if (raw === null || raw === undefined) return { scan: DEFAULT_SCAN_CONFIG, mapping: {} };
  const top = expectObject(raw, fileName, "the top level");
  const known = ["scan", "modules", "default_module", "phases", "function_prefixes", "tags"];
  for (const key of Object.keys(top)) {
    if (!known.includes(key))
      throw new UserError(`${fileName}: unknown key '${key}'; known keys: ${known.join(", ")}`);
  }
  const scanRaw = top.scan === undefined ? {} : expectObject(top.scan, fileName, "scan");
  const scanKeys: Record<string, keyof SpecScanConfig> = {
    docs: "docs",
    docs_exclude: "docsExclude",
    code: "code",
    tests: "tests",
    bundles: "bundles",
    exclude: "exclude",
  };
  const scan: SpecScanConfig = { ...DEFAULT_SCAN_CONFIG };
  for (const [key, value] of Object.entries(scanRaw)) {
    const field = scanKeys[key];
    if (field === undefined) {
      throw new UserError(
        `${fileName}: unknown key 'scan.${key}'; known keys: ${Object.keys(scanKeys).join(", ")}`,
      );
    }
    scan[field] = expectStringList(value, fileName, `scan.${key}`);
  }
  const mapping: MappingOverrides = {};
  if (top.modules !== undefined) mapping.modules = expectStringMap(top.modules, fileName, "modules");
  if (top.default_module !== undefined)
    mapping.defaultModule = expectString(top.default_module, fileName, "default_module");
  if (top.phases !== undefined) mapping.phases = expectStringMap(top.phases, fileName, "phases");
  if (top.function_prefixes !== undefined) {
    mapping.functionPrefixes = expectStringMap(top.function_prefixes, fileName, "function_prefixes");
  }
  if (top.tags !== undefined) {
    const tags: Record<string, Partial<TagMapping>> = {};
    for (const [idx, value] of Object.entries(expectObject(top.tags, fileName, "tags"))) {
      const pin = expectStringMap(value, fileName, `tags.${idx}`);
      for (const key of Object.keys(pin)) {
        if (!["module", "function", "phase", "version"].includes(key)) {
          throw new UserError(
            `${fileName}: unknown key 'tags.${idx}.${key}'; known keys: module, function, phase, version`,
          );
        }
      }
      tags[idx.replace(/^\[(.*)\]$/, "$1")] = pin;
    }
    mapping.tags = tags;
  }
  return { scan, mapping };
}

function expectObject(value: unknown, file: string, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UserError(`${file}: ${where} must be a mapping`);
  }
  return value as Record<string, unknown>;
}

function expectString(value: unknown, file: string, where: string): string {
  if (typeof value !== "string") throw new UserError(`${file}: ${where} must be a string`);
  return value;
}

function expectStringList(value: unknown, file: string, where: string): string[] {
  if (!Array.isArray(value)) throw new UserError(`${file}: ${where} must be a list of globs`);
  return value.map((item, position) => expectString(item, file, `${where}[${position}]`));
}

function expectStringMap(value: unknown, file: string, where: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(expectObject(value, file, where))) {
    result[key] = expectString(item, file, `${where}.${key}`);
  }
  return result;
}
