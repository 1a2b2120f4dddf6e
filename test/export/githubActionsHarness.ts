/**
 * A test harness that plays GitHub's part for an exported workflow, on this machine: it runs the
 * jobs in `needs:` order, each in its own clone of a bare "origin" repository, runs their `run:`
 * steps for real with bash, and stands in for actions/checkout, setup-node and the artifact actions.
 * It knows only the expressions the export writes and throws on any other, so a new one is noticed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { load } from "js-yaml";
import picomatch from "picomatch";

export interface HarnessSettings {
  /** The bare repository the jobs clone and push to. */
  origin: string;
  /** Where each job gets its clone and runner temp folder. */
  workDir: string;
  runId: number;
  runAttempt: number;
  refName: string;
  secrets: Record<string, string>;
  /** The environment every step starts from (PATH included). */
  env: NodeJS.ProcessEnv;
}

export type JobResult = "success" | "failure" | "skipped";

export interface JobRecord {
  id: string;
  result: JobResult;
  /** The job's clone and runner temp folder (kept for inspection). */
  workspace: string;
  runnerTemp: string;
  log: string;
}

interface Step {
  id?: string;
  name?: string;
  if?: string;
  "continue-on-error"?: boolean;
  uses?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  run?: string;
}

interface Job {
  needs?: string[];
  if?: string;
  env?: Record<string, string>;
  steps: Step[];
}

interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const TOKEN = "harness-github-token";
const PINNED = /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/;

export class GitHubActionsHarness {
  /** Artifacts of the whole workflow run, across attempts: name → file name → content. */
  readonly artifacts = new Map<string, Map<string, Buffer>>();

  constructor(private readonly settings: HarnessSettings) {}

  /** Runs every job of the workflow text once (one attempt); returns each job's record. */
  runWorkflow(yamlText: string): JobRecord[] {
    const workflow = load(yamlText) as Workflow;
    const results = new Map<string, JobRecord>();
    for (const id of needsOrder(workflow.jobs)) {
      const job = workflow.jobs[id];
      const needs = job.needs ?? [];
      const record = this.jobWorkspace(id);
      if (
        !this.jobShouldRun(
          job,
          needs.map((need) => [need, results.get(need)!.result]),
        )
      ) {
        results.set(id, { ...record, result: "skipped", log: "" });
        continue;
      }
      results.set(id, this.runJob(job, workflow.env ?? {}, record));
    }
    return [...results.values()];
  }

  private jobWorkspace(id: string): Omit<JobRecord, "result" | "log"> {
    const base = path.join(this.settings.workDir, `attempt-${this.settings.runAttempt}`, id);
    return { id, workspace: path.join(base, "repo"), runnerTemp: path.join(base, "temp") };
  }

  /** No `if:` means every need succeeded; the export's conditions are `!cancelled()` plus named results. */
  private jobShouldRun(job: Job, needs: [string, JobResult][]): boolean {
    if (job.if === undefined) return needs.every(([, result]) => result === "success");
    const results = new Map(needs);
    return conjuncts(job.if).every((part) => {
      if (part === "!cancelled()") return true;
      const match = /^needs\.([\w-]+)\.result == 'success'$/.exec(part);
      if (!match) throw new Error(`harness: unknown job condition part '${part}'`);
      return results.get(match[1]) === "success";
    });
  }

  private runJob(
    job: Job,
    workflowEnv: Record<string, string>,
    where: Omit<JobRecord, "result" | "log">,
  ): JobRecord {
    mkdirSync(where.runnerTemp, { recursive: true });
    const state = {
      env: { ...workflowEnv, ...(job.env ?? {}) },
      path: [] as string[],
      outputs: new Map<string, Record<string, string>>(),
    };
    let failed = false;
    let log = "";
    for (const [index, step] of job.steps.entries()) {
      if (!this.stepShouldRun(step, failed, state.outputs)) continue;
      const outcome =
        step.uses !== undefined ? this.useAction(step, where) : this.runScript(step, index, where, state);
      log += `--- ${step.name ?? step.uses ?? `step ${index}`}\n${outcome.log}`;
      if (!outcome.ok && step["continue-on-error"] !== true) failed = true;
    }
    return { ...where, result: failed ? "failure" : "success", log };
  }

  private stepShouldRun(step: Step, failed: boolean, outputs: Map<string, Record<string, string>>): boolean {
    if (step.if === undefined) return !failed;
    let always = false;
    const holds = conjuncts(step.if).every((part) => {
      if (part === "always()") return (always = true);
      const attempt = /^github\.run_attempt (==|!=) '(\d+)'$/.exec(part);
      if (attempt) return (String(this.settings.runAttempt) === attempt[2]) === (attempt[1] === "==");
      const match = /^steps\.([\w-]+)\.outputs\.(\w+) (==|!=) '([^']*)'$/.exec(part);
      if (!match) throw new Error(`harness: unknown step condition part '${part}'`);
      const value = outputs.get(match[1])?.[match[2]] ?? "";
      return match[3] === "==" ? value === match[4] : value !== match[4];
    });
    return holds && (always || !failed);
  }

  private runScript(
    step: Step,
    index: number,
    where: Omit<JobRecord, "result" | "log">,
    state: { env: Record<string, string>; path: string[]; outputs: Map<string, Record<string, string>> },
  ): { ok: boolean; log: string } {
    const script = step.run!;
    // GitHub would expand an expression into the script before bash reads it: the export never writes one.
    if (script.includes("${{")) throw new Error(`harness: an expression inside run: of '${step.name}'`);
    const files = Object.fromEntries(
      ["GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT"].map((name) => [
        name,
        path.join(where.runnerTemp, `${name}-${index}`),
      ]),
    );
    for (const file of Object.values(files)) writeFileSync(file, "");
    const scriptFile = path.join(where.runnerTemp, `step-${index}.sh`);
    writeFileSync(scriptFile, script);
    const stepEnv = Object.fromEntries(
      Object.entries(step.env ?? {}).map(([key, value]) => [key, this.expand(String(value), where)]),
    );
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", scriptFile], {
      cwd: where.workspace,
      encoding: "utf8",
      env: {
        ...this.settings.env,
        PATH: [...state.path, this.settings.env.PATH ?? ""].join(path.delimiter),
        CI: "true",
        GITHUB_ACTIONS: "true",
        GITHUB_RUN_ID: String(this.settings.runId),
        GITHUB_RUN_ATTEMPT: String(this.settings.runAttempt),
        GITHUB_REF_NAME: this.settings.refName,
        GITHUB_WORKSPACE: where.workspace,
        RUNNER_TEMP: where.runnerTemp,
        ...files,
        ...state.env,
        ...stepEnv,
      },
    });
    for (const line of lines(files.GITHUB_ENV)) {
      const at = line.indexOf("=");
      state.env[line.slice(0, at)] = line.slice(at + 1);
    }
    state.path.unshift(...lines(files.GITHUB_PATH).reverse());
    if (step.id !== undefined)
      state.outputs.set(
        step.id,
        Object.fromEntries(
          lines(files.GITHUB_OUTPUT).map((line) => [
            line.slice(0, line.indexOf("=")),
            line.slice(line.indexOf("=") + 1),
          ]),
        ),
      );
    return { ok: result.status === 0, log: `${result.stdout}${result.stderr}` };
  }

  private useAction(step: Step, where: Omit<JobRecord, "result" | "log">): { ok: boolean; log: string } {
    const uses = step.uses!;
    if (!PINNED.test(uses)) throw new Error(`harness: ${uses} is not pinned to a full commit SHA`);
    const action = uses.slice(0, uses.indexOf("@"));
    const input = (key: string): string | undefined =>
      step.with?.[key] === undefined ? undefined : this.expand(String(step.with[key]), where);
    switch (action) {
      case "actions/checkout": {
        // fetch-depth 0: every branch as a remote-tracking ref; the triggering branch checked out.
        if (input("fetch-depth") !== "0") throw new Error("harness: checkout without full history");
        execFileSync("git", [
          "clone",
          "-q",
          "--branch",
          this.settings.refName,
          this.settings.origin,
          where.workspace,
        ]);
        return { ok: true, log: "checked out\n" };
      }
      case "actions/setup-node":
        return { ok: input("node-version") !== undefined, log: `node ${process.version} stands in\n` };
      case "actions/upload-artifact": {
        const name = input("name")!;
        const file = input("path")!;
        // A folder uploads the files in it, named from the folder; a file uploads under its own name.
        const files = !existsSync(file)
          ? []
          : statSync(file).isDirectory()
            ? readdirSync(file).map((entry) => path.join(file, entry))
            : [file];
        if (files.length === 0)
          return { ok: input("if-no-files-found") !== "error", log: `no file in ${file}\n` };
        if (this.artifacts.has(name) && input("overwrite") !== "true")
          return { ok: false, log: `artifact ${name} exists (409)\n` };
        this.artifacts.set(name, new Map(files.map((one) => [path.basename(one), readFileSync(one)])));
        return { ok: true, log: `uploaded ${name}: ${files.map((one) => path.basename(one)).join(", ")}\n` };
      }
      case "actions/download-artifact": {
        const target = input("path")!;
        const name = input("name");
        const pattern = input("pattern");
        const chosen = [...this.artifacts.keys()].filter((key) =>
          name !== undefined ? key === name : picomatch(pattern ?? "*")(key),
        );
        if (name !== undefined && chosen.length === 0) return { ok: false, log: `no artifact ${name}\n` };
        for (const key of chosen) {
          const dir =
            name !== undefined || input("merge-multiple") === "true" ? target : path.join(target, key);
          mkdirSync(dir, { recursive: true });
          for (const [file, content] of this.artifacts.get(key)!)
            writeFileSync(path.join(dir, file), content);
        }
        return { ok: true, log: `downloaded ${chosen.join(", ")}\n` };
      }
      default:
        throw new Error(`harness: no stand-in for ${action}`);
    }
  }

  /** The expressions the export writes in `env:` and `with:`; anything else is refused. */
  private expand(text: string, where: Omit<JobRecord, "result" | "log">): string {
    return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_whole, expression: string) => {
      if (expression === "runner.temp") return where.runnerTemp;
      if (expression === "github.token") return TOKEN;
      const secret = /^secrets\.(\w+)( \|\| github\.token)?$/.exec(expression);
      if (secret) return this.settings.secrets[secret[1]] ?? (secret[2] ? TOKEN : "");
      throw new Error(`harness: unknown expression '${expression}'`);
    });
  }
}

/** Job ids so that every job comes after the jobs it needs. */
function needsOrder(jobs: Record<string, Job>): string[] {
  const order: string[] = [];
  const visit = (id: string, trail: string[]): void => {
    if (order.includes(id)) return;
    if (trail.includes(id)) throw new Error(`harness: needs cycle through ${id}`);
    for (const need of jobs[id]?.needs ?? []) {
      if (jobs[need] === undefined) throw new Error(`harness: ${id} needs unknown job ${need}`);
      visit(need, [...trail, id]);
    }
    order.push(id);
  };
  for (const id of Object.keys(jobs)) visit(id, []);
  return order;
}

function conjuncts(condition: string): string[] {
  const bare = condition.trim().replace(/^\$\{\{\s*([\s\S]*?)\s*\}\}$/, "$1");
  return bare.split("&&").map((part) => part.trim());
}

function lines(file: string): string[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "");
}
