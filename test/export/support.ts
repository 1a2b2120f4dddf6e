/** The example DAG (workstreams/ and example/ of this repository) in a temp repo, and the built CLI. */
import { cpSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { createTempRepo, type TempRepo } from "../support/tempRepo";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const BUILT_CLI = path.join(PROJECT_ROOT, "dist", "cli.js");

/** A repo holding the example bundles (scripted editor), their project and the shipped config. */
export function createExampleRepo(prefix: string): TempRepo {
  const repo = createTempRepo({}, prefix);
  for (const dir of ["workstreams", "example", "docs", "config"])
    cpSync(path.join(PROJECT_ROOT, dir), path.join(repo.root, dir), { recursive: true });
  repo.write({ ".gitignore": "state/\n.worktrees/\n" });
  repo.commitAll("example workspace");
  return repo;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `wsp` in `cwd`. */
export function wsp(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, [BUILT_CLI, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
