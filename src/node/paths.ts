/**
 * Where Workstream Pipeline's files live. Each default, and the environment variable that overrides
 * it, is written here once; the CLI and the editor both resolve through these functions.
 *
 * The one rule for environment variables: set to the empty string counts as unset, so the default
 * applies (`PIPELINE_WORKTREES_DIR= wsp run` uses `.worktrees`, not the repository root). An
 * explicit value from the command line (`--dir`, `--worktrees`, `--db`) is taken as given.
 *
 * Relative values are resolved against the directory each resolver names: the workstreams folder
 * and the store against the working directory, the worktrees folder against the repository root.
 */
import path from "node:path";

/** The bundles folder: `$PIPELINE_WORKSTREAM_DIR`, else this. */
export const DEFAULT_WORKSTREAM_DIR = "workstreams";
/** Where workstream worktrees go: `$PIPELINE_WORKTREES_DIR`, else this, under the repository root. */
export const DEFAULT_WORKTREES_DIR = ".worktrees";
/** The state store: `$PIPELINE_DB_PATH` (or the original's `$ERROR_PIPELINE_DB`), else this. */
export const DEFAULT_DB_PATH = path.join("state", "pipeline.db");
/** The schema file a store is created from when `$PIPELINE_SCHEMA_PATH` names one (else the built-in schema). */
export const DEFAULT_SCHEMA_PATH = path.join("schema", "schema.sql");
/** The workspace's configuration folder (tool profiles, circuit breakers, model prices). */
export const CONFIG_DIR = "config";
/** The tool profiles, relative to the workspace, '/'-separated (also an editor URI path). */
export const TOOL_PROFILES_FILE = `${CONFIG_DIR}/tool_profiles.json`;

/** An environment variable's value, or undefined when it is unset or empty (the rule above). */
export function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

/** The workstreams folder, absolute: `explicit`, else `$PIPELINE_WORKSTREAM_DIR`, else `workstreams`. */
export function resolveWorkstreamDir(cwd: string, env: NodeJS.ProcessEnv, explicit?: string): string {
  return path.resolve(cwd, explicit ?? envValue(env, "PIPELINE_WORKSTREAM_DIR") ?? DEFAULT_WORKSTREAM_DIR);
}

/** The worktrees folder, absolute: `explicit`, else `$PIPELINE_WORKTREES_DIR`, else `.worktrees`. */
export function resolveWorktreesDir(root: string, env: NodeJS.ProcessEnv, explicit?: string): string {
  return path.resolve(root, explicit ?? envValue(env, "PIPELINE_WORKTREES_DIR") ?? DEFAULT_WORKTREES_DIR);
}

/** The store file, absolute: `explicit`, else `$PIPELINE_DB_PATH`, else `$ERROR_PIPELINE_DB`, else `state/pipeline.db`. */
export function resolveDbPath(explicit: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  const chosen =
    explicit ?? envValue(env, "PIPELINE_DB_PATH") ?? envValue(env, "ERROR_PIPELINE_DB") ?? DEFAULT_DB_PATH;
  return path.resolve(cwd, chosen);
}

/** The schema file to create a store from, or undefined to use the schema built into this version. */
export function resolveSchemaPath(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): string | undefined {
  const chosen = explicit ?? envValue(env, "PIPELINE_SCHEMA_PATH");
  return chosen === undefined ? undefined : path.resolve(cwd, chosen);
}

/** A file in `workspace`'s configuration folder. */
export function configFile(workspace: string, name: string): string {
  return path.join(workspace, CONFIG_DIR, name);
}

/**
 * The tool profiles: `$PIPELINE_TOOL_PROFILES_PATH` as given (relative to the process's working
 * directory), else `<workspace>/config/tool_profiles.json`.
 */
export function resolveToolProfilesPath(workspace: string, env: NodeJS.ProcessEnv): string {
  return envValue(env, "PIPELINE_TOOL_PROFILES_PATH") ?? path.join(workspace, TOOL_PROFILES_FILE);
}

/** Where a workstream's changes to its shared folders (node_modules, …) live, outside its worktree. */
export function sharedStateDir(worktreesDir: string, wsId: string): string {
  return path.join(worktreesDir, ".shared", wsId);
}

/**
 * The per-user folder where Node keeps the CLI's compiled code: `$XDG_CACHE_HOME`, else
 * `~/.cache`, then `workstream-pipeline/compile-cache`. Undefined when neither is known: a cache
 * in a shared folder such as /tmp could be planted by another user and run as ours.
 */
export function compileCacheDir(env: NodeJS.ProcessEnv, home: string | undefined): string | undefined {
  const xdg = envValue(env, "XDG_CACHE_HOME");
  // The XDG spec ignores a relative value; so do we, rather than cache under the working directory.
  const base =
    xdg !== undefined && path.isAbsolute(xdg)
      ? xdg
      : home !== undefined && home !== "" && path.isAbsolute(home)
        ? path.join(home, ".cache")
        : undefined;
  return base === undefined ? undefined : path.join(base, "workstream-pipeline", "compile-cache");
}
