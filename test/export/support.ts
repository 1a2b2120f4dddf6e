/** The example DAG (workstreams/ and example/ of this repository) in a temp repo, and the built CLI. */
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { createTempDir, createTempRepo, type TempRepo } from "../support/tempRepo";
import { type Store } from "../../src/core/store";
import { openStore } from "../../src/node/store";
import { type HarnessSettings, type JobRecord } from "./githubActionsHarness";

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

/** The example exported, committed and cloned bare as the harness's "origin", with a stand-in `gh`. */
export interface StagedWorkflow {
  repo: TempRepo;
  /** Holds origin, the stand-in's bin folder and the jobs' workspaces. */
  scratch: string;
  origin: string;
  workflow: string;
  /** Harness settings for one attempt: the stand-in `gh` first on PATH, plus `env`. */
  settings(runId: number, runAttempt: number, env?: NodeJS.ProcessEnv): HarnessSettings;
  remove(): void;
}

export function stageExportedWorkflow(
  prefix: string,
  exportArgs: readonly string[],
  gh: string,
): StagedWorkflow {
  const repo = createExampleRepo(`${prefix}source-`);
  const exported = wsp(["export", "github-actions", ...exportArgs], repo.root);
  if (exported.status !== 0) throw new Error(`wsp export failed: ${exported.stderr}`);
  repo.commitAll("the exported workflow and its CLI copy");
  const scratch = createTempDir(`${prefix}harness-`);
  const origin = path.join(scratch.root, "origin.git");
  execFileSync("git", ["clone", "-q", "--bare", repo.root, origin]);
  const bin = path.join(scratch.root, "bin");
  mkdirSync(bin);
  writeFileSync(path.join(bin, "gh"), gh);
  chmodSync(path.join(bin, "gh"), 0o755);
  return {
    repo,
    scratch: scratch.root,
    origin,
    workflow: readFileSync(path.join(repo.root, ".github/workflows/workstreams.yml"), "utf8"),
    settings: (runId, runAttempt, env = {}) => ({
      origin,
      workDir: scratch.root,
      runId,
      runAttempt,
      refName: "main",
      secrets: {},
      env: { ...process.env, ...env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` },
    }),
    remove: () => {
      repo.remove();
      scratch.remove();
    },
  };
}

/** The store the integrate job left, read-only: every job's imported run and the queue's own. */
export function openIntegrateStore(jobs: readonly JobRecord[]): Promise<Store> {
  const integrate = jobs.find((job) => job.id === "integrate");
  if (integrate === undefined) throw new Error("no integrate job ran");
  return openStore({ path: path.join(integrate.runnerTemp, "wsp-state", "pipeline.db"), readOnly: true });
}
