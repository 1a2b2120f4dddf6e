/**
 * `npm run bench -- agents [--n 6] [--rounds 5]`
 *
 * The orchestrator's overhead per workstream with the real Codex CLI as the editor (about 0.3 s a run
 * against the scripted model server): `wsp run --all -j 1` over N workstreams, each of which makes Codex
 * add one file, against a shell script doing the same git worktree add, the same codex command line
 * (same flags, same private home), the commit and the worktree removal. Target ≤ 1.3×.
 * Each round runs both sides back to back (alternating which goes first), so both see the same load on
 * a shared machine; the ratio reported is the median of the rounds' ratios. The CPU time of all processes
 * (user + system) is printed too: it hardly depends on the load.
 * Needs the pinned CLIs (`npm run agents:install`).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildAgentLaunch } from "../src/node/agents/launch";
import { startModelServer, type ModelServer } from "../test/agents/support/modelServer";
import { cliEndpoint } from "../test/agents/support/runCli";
import { finalText, writeSteps } from "../test/agents/support/scenarios";
import { installedCli } from "../test/agents/support/tools";
import { median, option } from "./_measure";

const REPO = path.resolve(import.meta.dirname, "..");
const CLI = path.join(REPO, "dist", "cli.js");
const dummyKey = { OPENAI_API_KEY: "dummy" };

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `ws-c${String(i).padStart(3, "0")}`);

/** Each workstream's channel: Codex adds `src/<id>.txt`, then says it is done. */
function scriptChannels(server: ModelServer, workstreams: string[], root: string): void {
  for (const id of workstreams) {
    const worktree = path.join(root, ".worktrees", id);
    const steps = [
      ...writeSteps("codex", worktree, [{ file: `src/${id}.txt`, after: `${id}\n` }]),
      { kind: "text" as const, text: finalText },
    ];
    server.setScript({ steps }, id);
  }
}

/** A git repo with one bundle per id whose editor is the real Codex, on the workstream's channel. */
function workspace(workstreams: string[], server: ModelServer): string {
  const root = mkdtempSync(path.join(tmpdir(), "wsp-bench-agents-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "bench@example.invalid");
  git("config", "user.name", "Bench");
  for (const dir of ["workstreams", "config", "src"]) mkdirSync(path.join(root, dir));
  writeFileSync(path.join(root, "src", "README"), "bench\n");
  const profiles = JSON.parse(
    readFileSync(path.join(REPO, "config", "tool_profiles.json"), "utf8"),
  ) as Record<string, unknown>;
  profiles.codex = {
    kind: "edit",
    command: installedCli("codex").bin,
    timeout_sec: 60,
    agent: {
      cli: "codex",
      model: cliEndpoint.codex.model,
      // A placeholder: each workstream talks to its own channel of the one server.
      base_url: `${server.origin}/s/{ws_id}${cliEndpoint.codex.apiPath}`,
      isolation: "private",
      retries: 0,
    },
  };
  writeFileSync(path.join(root, "config", "tool_profiles.json"), JSON.stringify(profiles, null, 2));
  for (const id of workstreams) {
    const bundle = {
      id,
      openspec_change: "BENCH",
      ccpm_issue: 0,
      gate: 1,
      files_scope: [`src/${id}.txt`],
      files_create: [`src/${id}.txt`],
      tasks: [`create src/${id}.txt`],
      acceptance_tests: ["true"],
      depends_on: [],
      tool: "codex",
      static_tools: [],
    };
    writeFileSync(path.join(root, "workstreams", `${id}.json`), JSON.stringify(bundle, null, 2));
  }
  git("add", "-A");
  git("commit", "-q", "-m", "bench workspace");
  return root;
}

const quote = (arg: string): string => `'${arg.replace(/'/g, "'\\''")}'`;

/**
 * The peer: a careful shell script running the same codex command line wsp builds (the launch adapter's
 * argv and the environment it changes: private home, PWD), one workstream after another.
 */
function shellScript(workstreams: string[], root: string, server: ModelServer, stateRoot: string): string {
  const lines = ["set -e"];
  for (const id of workstreams) {
    const worktree = path.join(root, ".worktrees", id);
    const launch = buildAgentLaunch({
      cli: "codex",
      bin: installedCli("codex").bin,
      prompt: `Create src/${id}.txt`,
      cwd: worktree,
      model: cliEndpoint.codex.model,
      baseUrl: `${server.channelOrigin(id)}${cliEndpoint.codex.apiPath}`,
      stateDir: path.join(stateRoot, id),
      isolation: "private",
      retries: 0,
      baseEnv: {},
    });
    const env = Object.entries(launch.env).map(([key, value]) => `${key}=${quote(value)}`);
    lines.push(
      `git worktree add -q -B "workstream/${id}" ".worktrees/${id}" main`,
      `(cd ".worktrees/${id}" && env ${env.join(" ")} ${[launch.command, ...launch.args].map(quote).join(" ")} </dev/null >/dev/null 2>&1 && true && git add -A && git commit -q -m "wsp: ${id}")`,
      `git worktree remove --force ".worktrees/${id}"`,
    );
  }
  return lines.join("\n");
}

function committed(root: string, workstreams: string[]): void {
  for (const id of workstreams) {
    const text = execFileSync("git", ["show", `workstream/${id}:src/${id}.txt`], {
      cwd: root,
      encoding: "utf8",
    });
    if (text !== `${id}\n`) throw new Error(`${id}: codex did not write src/${id}.txt`);
  }
}

async function shellRound(workstreams: string[], server: ModelServer): Promise<Measured> {
  const root = workspace(workstreams, server);
  const state = mkdtempSync(path.join(tmpdir(), "wsp-bench-agents-state-"));
  try {
    scriptChannels(server, workstreams, root);
    const script = shellScript(workstreams, root, server, state);
    // The server answers in this process: run the child without blocking the event loop.
    const measured = await timedAsync(() =>
      runAsync("sh", ["-c", script], root, { ...process.env, ...dummyKey }),
    );
    committed(root, workstreams);
    return measured;
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  }
}

async function wspRound(workstreams: string[], server: ModelServer): Promise<Measured> {
  const root = workspace(workstreams, server);
  try {
    scriptChannels(server, workstreams, root);
    const measured = await timedAsync(() =>
      runAsync(process.execPath, [CLI, "run", "--all", "-j", "1", "--run-id", "bench"], root, {
        ...process.env,
        ...dummyKey,
        PIPELINE_DRY_RUN: "",
      }),
    );
    committed(root, workstreams);
    return measured;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * CPU seconds (user + system) of this process's waited-for descendants (Linux: /proc/self/stat cutime
 * and cstime, in clock ticks of 1/100 s). Unlike wall time it barely moves with the machine's load.
 */
function childCpuSeconds(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

interface Measured {
  seconds: number;
  cpu: number;
}

async function timedAsync(run: () => Promise<void>): Promise<Measured> {
  const start = process.hrtime.bigint();
  const cpuBefore = childCpuSeconds();
  await run();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, cpu: childCpuSeconds() - cpuBefore };
}

async function runAsync(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(command)} exited ${code}:\n${stderr.slice(-3000)}`)),
    );
  });
}

export async function run(args: string[]): Promise<void> {
  execFileSync(process.execPath, ["esbuild.mjs"], { cwd: REPO, stdio: "inherit" });
  const n = option(args, "--n", 6);
  const rounds = option(args, "--rounds", 5);
  const workstreams = ids(n);
  const server = await startModelServer();
  try {
    // Warm the file cache with one codex run so the first side measured is not penalised.
    await shellRound(ids(1), server);
    const shell: Measured[] = [];
    const ours: Measured[] = [];
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        shell.push(await shellRound(workstreams, server));
        ours.push(await wspRound(workstreams, server));
      } else {
        ours.push(await wspRound(workstreams, server));
        shell.push(await shellRound(workstreams, server));
      }
    }
    const wall = (side: Measured[]) => side.map((m) => m.seconds);
    const cpu = (side: Measured[]) => side.map((m) => m.cpu);
    const ratios = ours.map((m, round) => m.seconds / shell[round].seconds);
    const ratio = median(ratios);
    const cpuRatio = median(cpu(ours)) / median(cpu(shell));
    const perWs = (seconds: number) => `${((seconds / n) * 1000).toFixed(0)} ms per workstream`;
    const all = (values: number[]) => values.map((value) => value.toFixed(2)).join(", ");
    const verdict = (value: number) => (value <= 1.3 ? "OK" : "OVER TARGET");
    process.stdout.write(
      `overhead, ${n} workstreams edited by the real Codex ${installedCli("codex").version} at -j 1, ${rounds} rounds:\n` +
        `  wall time\n` +
        `    shell script   median ${median(wall(shell)).toFixed(2)} s  (${perWs(median(wall(shell)))}; rounds ${all(wall(shell))})\n` +
        `    wsp run --all  median ${median(wall(ours)).toFixed(2)} s  (${perWs(median(wall(ours)))}; rounds ${all(wall(ours))})\n` +
        `    ratio          ${ratio.toFixed(2)}× median of the rounds' ratios (${all(ratios)})  ${verdict(ratio)} (target ≤ 1.3×)\n` +
        `  CPU time of all processes (barely moved by other load on the machine)\n` +
        `    shell script   median ${median(cpu(shell)).toFixed(2)} s  (${perWs(median(cpu(shell)))})\n` +
        `    wsp run --all  median ${median(cpu(ours)).toFixed(2)} s  (${perWs(median(cpu(ours)))})\n` +
        `    ratio          ${cpuRatio.toFixed(2)}×  (for reference; the target is on wall time)\n`,
    );
  } finally {
    await server.close();
  }
}
