/**
 * Sandbox settings from `config/sandbox.yaml` (the whole workspace) and from a tool profile's
 * `sandbox` block (one tool). A profile may loosen or tighten the workspace's mode, cut the network,
 * and name the variables and home folders its tool needs.
 */
import { UserError } from "../errors";
import { type NetworkMode, networkModes, type SandboxMode, sandboxModes } from "./policy";

export interface SandboxConfig {
  mode: SandboxMode;
  network: NetworkMode;
  /** Variables every tool gets on top of the base allow-list: `NAME` or `PREFIX*`. */
  env: string[];
}

export interface ProfileSandbox {
  mode?: SandboxMode;
  network?: NetworkMode;
  env: string[];
  /** Home folders (relative to the home, like `.aider`) the tool keeps. */
  home: string[];
}

export const defaultSandboxConfig: SandboxConfig = { mode: "auto", network: "host", env: [] };

function record(raw: unknown, where: string): Record<string, unknown> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new UserError(`${where} must be an object`);
  return raw as Record<string, unknown>;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], where: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value))
    throw new UserError(`${where} must be one of ${allowed.join(", ")}`);
  return value as T;
}

function names(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (
    !Array.isArray(value) ||
    value.some((entry) => typeof entry !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*\*?$/.test(entry))
  )
    throw new UserError(`${where} must be a list of variable names (NAME or PREFIX*)`);
  return value as string[];
}

function homeFolders(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  const valid = (entry: unknown) =>
    typeof entry === "string" &&
    entry !== "" &&
    !entry.startsWith("/") &&
    !entry.split("/").some((part) => part === ".." || part === "." || part === "");
  if (!Array.isArray(value) || !value.every(valid))
    throw new UserError(`${where} must be a list of folders relative to the home, like ".aider"`);
  return value as string[];
}

function rejectUnknown(raw: Record<string, unknown>, known: readonly string[], where: string): void {
  const unknown = Object.keys(raw).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new UserError(`${where}: unknown key(s) ${unknown.join(", ")}`);
}

/** `config/sandbox.yaml`; undefined (no file, or an empty one) gives the defaults. */
export function parseSandboxConfig(raw: unknown, file: string): SandboxConfig {
  if (raw === undefined || raw === null) return { ...defaultSandboxConfig };
  const fields = record(raw, file);
  rejectUnknown(fields, ["mode", "network", "env"], file);
  return {
    mode: oneOf(fields.mode, sandboxModes, `${file}: mode`) ?? defaultSandboxConfig.mode,
    network: oneOf(fields.network, networkModes, `${file}: network`) ?? defaultSandboxConfig.network,
    env: names(fields.env, `${file}: env`),
  };
}

/** A tool profile's `sandbox` block. */
export function parseProfileSandbox(raw: unknown, where: string): ProfileSandbox {
  const fields = record(raw, `${where}: sandbox`);
  rejectUnknown(fields, ["mode", "network", "env", "home"], `${where}: sandbox`);
  const mode = oneOf(fields.mode, sandboxModes, `${where}: sandbox.mode`);
  const network = oneOf(fields.network, networkModes, `${where}: sandbox.network`);
  return {
    ...(mode !== undefined ? { mode } : {}),
    ...(network !== undefined ? { network } : {}),
    env: names(fields.env, `${where}: sandbox.env`),
    home: homeFolders(fields.home, `${where}: sandbox.home`),
  };
}

/**
 * The mode one tool runs under: `off` anywhere wins only where nothing requires the sandbox, so a
 * profile cannot quietly opt out of a workspace that says `required`.
 */
export function effectiveMode(config: SandboxMode, profile: SandboxMode | undefined): SandboxMode {
  if (config === "required" || profile === "required") return "required";
  return profile ?? config;
}

/** The strictest network any level asks for: `none` from the config, the profile or the bundle wins. */
export function effectiveNetwork(...levels: (NetworkMode | undefined)[]): NetworkMode {
  return levels.includes("none") ? "none" : "host";
}
