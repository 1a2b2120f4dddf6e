/** Where the store and its schema live (contract 4): explicit path, then env, then the default. */
import path from "node:path";

export const DEFAULT_DB_PATH = path.join("state", "pipeline.db");
export const DEFAULT_SCHEMA_PATH = path.join("schema", "schema.sql");

export function resolveDbPath(explicit: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  const chosen =
    explicit ?? nonEmpty(env.PIPELINE_DB_PATH) ?? nonEmpty(env.ERROR_PIPELINE_DB) ?? DEFAULT_DB_PATH;
  return path.resolve(cwd, chosen);
}

/** The schema file to create a store from, or undefined to use the schema built into this version. */
export function resolveSchemaPath(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): string | undefined {
  const chosen = explicit ?? nonEmpty(env.PIPELINE_SCHEMA_PATH);
  return chosen === undefined ? undefined : path.resolve(cwd, chosen);
}

/** The companion files of a store: its journal and its lock. */
export function companionPaths(dbPath: string): { journal: string; lock: string } {
  return { journal: `${dbPath}.journal.ndjson`, lock: `${dbPath}.lock` };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
