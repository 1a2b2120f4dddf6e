/**
 * `npm run bench -- orchestrator [--n 20] [--dag 50] [--jobs 4]`
 *
 * 1. Overhead per workstream: `wsp run --all -j 1` over N trivial workstreams against a plain shell
 *    script doing the same git worktree add, tool spawns, commit and worktree remove. Target ≤ 1.3×.
 * 2. Scheduling: a 50-workstream random DAG at -j 4 whose acceptance tests sleep for known times;
 *    makespan against the lower bound max(critical path, total work ÷ 4). Target ≤ 1.1×.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const REPO = path.resolve(import.meta.dirname, "..");
const CLI = path.join(REPO, "dist", "cli.js");

interface BenchBundle {
  id: string;
  depends_on: string[];
  acceptance: string;
}

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

/** A fresh git repo with the bundles, the shipped profiles plus a `bench-touch` edit tool. */
function workspace(bundles: BenchBundle[]): string {
  const root = mkdtempSync(path.join(tmpdir(), "wsp-bench-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "bench@example.invalid");
  git("config", "user.name", "Bench");
  mkdirSync(path.join(root, "workstreams"));
  mkdirSync(path.join(root, "config"));
  mkdirSync(path.join(root, "src"));
  writeFileSync(path.join(root, "src", "README"), "bench\n");
  const profiles = JSON.parse(
    readFileSync(path.join(REPO, "config", "tool_profiles.json"), "utf8"),
  ) as Record<string, unknown>;
  profiles["bench-touch"] = { kind: "edit", command: "touch", args: ["src/{ws_id}.txt"], timeout_sec: 60 };
  writeFileSync(path.join(root, "config", "tool_profiles.json"), JSON.stringify(profiles, null, 2));
  for (const b of bundles) {
    const bundle = {
      id: b.id,
      openspec_change: "BENCH",
      ccpm_issue: 0,
      gate: 1,
      files_scope: [`src/${b.id}.txt`],
      files_create: [`src/${b.id}.txt`],
      tasks: ["touch a file"],
      acceptance_tests: [b.acceptance],
      depends_on: b.depends_on,
      tool: "bench-touch",
      static_tools: [],
    };
    writeFileSync(path.join(root, "workstreams", `${b.id}.json`), JSON.stringify(bundle, null, 2));
  }
  git("add", "-A");
  git("commit", "-q", "-m", "bench workspace");
  return root;
}

function timed(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function wsp(root: string, args: string[]): void {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, PIPELINE_DRY_RUN: "" },
  });
  if (result.status !== 0)
    throw new Error(`wsp ${args.join(" ")} failed (${result.status}):\n${result.stderr.slice(-3000)}`);
}

function verdict(ratio: number, target: number): string {
  return ratio <= target ? `OK (target ≤ ${target}×)` : `OVER TARGET (target ≤ ${target}×)`;
}

function overheadBench(n: number): void {
  const bundles = Array.from({ length: n }, (_, i) => ({
    id: `ws-b${String(i).padStart(3, "0")}`,
    depends_on: [],
    acceptance: "true",
  }));
  const orchestrated = workspace(bundles);
  const scripted = workspace(bundles);
  // The peer: what a careful shell script does for the same workstreams, one after another.
  const script = [
    "set -e",
    "for id in $(ls workstreams | sed 's/\\.json$//'); do",
    '  git worktree add -q -B "workstream/$id" ".worktrees/$id" main',
    '  (cd ".worktrees/$id" && touch "src/$id.txt" && true && git add -A && git commit -q -m "wsp: $id" )',
    '  git worktree remove --force ".worktrees/$id"',
    "done",
  ].join("\n");
  try {
    const shell = timed(() => execFileSync("sh", ["-c", script], { cwd: scripted, stdio: "ignore" }));
    const ours = timed(() => wsp(orchestrated, ["run", "--all", "-j", "1", "--run-id", "bench"]));
    const ratio = ours / shell;
    process.stdout.write(
      `overhead, ${n} trivial workstreams at -j 1:\n` +
        `  shell script     ${shell.toFixed(2)} s  (${((shell / n) * 1000).toFixed(0)} ms per workstream)\n` +
        `  wsp run --all    ${ours.toFixed(2)} s  (${((ours / n) * 1000).toFixed(0)} ms per workstream)\n` +
        `  ratio            ${ratio.toFixed(2)}×  ${verdict(ratio, 1.3)}\n`,
    );
  } finally {
    rmSync(orchestrated, { recursive: true, force: true });
    rmSync(scripted, { recursive: true, force: true });
  }
}

/** A deterministic pseudo-random generator, so every run benchmarks the same DAG. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

function dagBench(count: number, jobs: number): void {
  const random = lcg(42);
  const durations: number[] = [];
  const bundles: BenchBundle[] = [];
  for (let i = 0; i < count; i++) {
    const seconds = Math.round((0.6 + random() * 1.2) * 10) / 10;
    durations.push(seconds);
    const deps = new Set<number>();
    // About one dependency on average, on earlier nodes only (so it is a DAG).
    if (i > 0 && random() < 0.7) deps.add(Math.floor(random() * i));
    if (i > 3 && random() < 0.3) deps.add(Math.floor(random() * i));
    bundles.push({
      id: `ws-d${String(i).padStart(3, "0")}`,
      depends_on: [...deps].map((d) => `ws-d${String(d).padStart(3, "0")}`),
      acceptance: `sleep ${seconds}`,
    });
  }
  const finish: number[] = [];
  bundles.forEach((b, i) => {
    const ready = Math.max(0, ...b.depends_on.map((dep) => finish[Number(dep.slice(4))]));
    finish.push(ready + durations[i]);
  });
  const criticalPath = Math.max(...finish);
  const totalWork = durations.reduce((a, b) => a + b, 0);
  const bound = Math.max(criticalPath, totalWork / jobs);
  const root = workspace(bundles);
  try {
    const makespan = timed(() => wsp(root, ["run", "--all", "-j", String(jobs), "--run-id", "dag"]));
    const ratio = makespan / bound;
    process.stdout.write(
      `scheduling, ${count}-workstream DAG at -j ${jobs} (sleep tools, ${totalWork.toFixed(1)} s of work):\n` +
        `  critical path    ${criticalPath.toFixed(2)} s\n` +
        `  work ÷ ${jobs}         ${(totalWork / jobs).toFixed(2)} s\n` +
        `  lower bound      ${bound.toFixed(2)} s\n` +
        `  makespan         ${makespan.toFixed(2)} s\n` +
        `  ratio            ${ratio.toFixed(2)}×  ${verdict(ratio, 1.1)}\n`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<void> {
  execFileSync(process.execPath, ["esbuild.mjs"], { cwd: REPO, stdio: "inherit" });
  overheadBench(option(args, "--n", 20));
  dagBench(option(args, "--dag", 50), option(args, "--jobs", 4));
  await Promise.resolve();
}
