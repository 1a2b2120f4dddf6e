/**
 * How a workstream's worktree is made ready to work (`config/worktree.yaml`, which a bundle's
 * `worktree` block overrides key by key): folders shared from the base checkout (dependencies, build
 * caches), ignored files copied in, setup commands, and ports reserved for its tools.
 */
import { UserError } from "../errors";
import { looksLikeSecret } from "../sandbox/policy";

export interface WorktreeSettings {
  /** Folders of the base checkout every worktree gets a private copy-on-write view of; `auto` detects them. */
  share: "auto" | string[];
  /** Build caches to share besides what `auto` detects (e.g. `.next/cache`). */
  caches: string[];
  /** Ignored files of the base checkout copied into the worktree; a secret-looking one only when named exactly. */
  copy: string[];
  /** Commands run once in the new worktree, in the sandbox, before EDIT. */
  setup: string[];
  /** Free ports reserved for each running workstream, given to its tools as WSP_PORT, WSP_PORT_1, … */
  ports: number;
  /** Days a failed workstream's worktree is kept before `wsp worktree prune` frees it. */
  keep_failed_days: number;
}

/** The folders `share: auto` looks for in the base checkout, when git ignores them. */
export const AUTO_SHARED = ["node_modules", ".venv", "venv", "vendor"] as const;

export const defaultWorktreeSettings: WorktreeSettings = {
  share: "auto",
  caches: [],
  copy: [".env.example"],
  setup: [],
  ports: 0,
  keep_failed_days: 7,
};

const MAX_PORTS = 16;

function relativePaths(value: unknown, where: string): string[] {
  const valid = (entry: unknown) =>
    typeof entry === "string" &&
    entry !== "" &&
    !entry.startsWith("/") &&
    !entry.split("/").some((part) => part === ".." || part === "." || part === "" || part === ".git");
  if (!Array.isArray(value) || !value.every(valid))
    throw new UserError(`${where} must be a list of paths inside the repository, like "node_modules"`);
  return value as string[];
}

function commands(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === "string" && entry.trim() !== ""))
    throw new UserError(`${where} must be a list of commands`);
  return value as string[];
}

function count(value: unknown, max: number, where: string): number {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > max)
    throw new UserError(`${where} must be a whole number from 0 to ${max}`);
  return value as number;
}

/** Parses the keys given; a missing key keeps `base`'s value, so a bundle overrides only what it names. */
export function parseWorktreeSettings(
  raw: unknown,
  where: string,
  base = defaultWorktreeSettings,
): WorktreeSettings {
  if (raw === undefined || raw === null) return { ...base };
  if (typeof raw !== "object" || Array.isArray(raw)) throw new UserError(`${where} must be an object`);
  const fields = raw as Record<string, unknown>;
  const known = ["share", "caches", "copy", "setup", "ports", "keep_failed_days"];
  const unknown = Object.keys(fields).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new UserError(`${where}: unknown key(s) ${unknown.join(", ")}`);
  return {
    share:
      fields.share === undefined
        ? base.share
        : fields.share === "auto"
          ? "auto"
          : relativePaths(fields.share, `${where}: share`),
    caches: fields.caches === undefined ? base.caches : relativePaths(fields.caches, `${where}: caches`),
    copy: fields.copy === undefined ? base.copy : relativePaths(fields.copy, `${where}: copy`),
    setup: fields.setup === undefined ? base.setup : commands(fields.setup, `${where}: setup`),
    ports: fields.ports === undefined ? base.ports : count(fields.ports, MAX_PORTS, `${where}: ports`),
    keep_failed_days:
      fields.keep_failed_days === undefined
        ? base.keep_failed_days
        : count(fields.keep_failed_days, 36_500, `${where}: keep_failed_days`),
  };
}

/**
 * Which of the listed files may be copied: a name that looks like a secret (`.env`, a key) only when
 * the list names it exactly, never through a pattern or a folder.
 */
export function copyableFiles(listed: readonly string[], found: readonly string[]): string[] {
  const named = new Set(listed);
  return found.filter((file) => !looksLikeSecret(file.split("/").pop() ?? file) || named.has(file));
}

/** The environment that hands a workstream's reserved ports to its tools. */
export function portVariables(ports: readonly number[]): Record<string, string> {
  return Object.fromEntries(
    ports.map((port, index) => [index === 0 ? "WSP_PORT" : `WSP_PORT_${index}`, String(port)]),
  );
}
