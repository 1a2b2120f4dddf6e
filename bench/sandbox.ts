/**
 * `npm run bench -- sandbox [--n 60]`: what the sandbox adds to every tool start. A trivial tool
 * (`true`, then `node -e 0`) is started through the process door (runProcess, as the orchestrator
 * does), bare and inside the sandbox of a real worktree, alternating, and the medians are compared.
 * Target: at most 15 ms added per tool start. A bare start through the door also sweeps /proc for
 * helpers that left its session (the sandbox's PID namespace makes that sweep unneeded), so the
 * bubblewrap cost alone is printed too: the same argv spawned directly, with and without bwrap. The whole-run figure is in `bench -- orchestrator`,
 * whose wsp side runs with the sandbox on.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { baseEnvAllowList } from "../src/core/sandbox/policy";
import { runProcess } from "../src/node/process/runProcess";
import { sandboxLaunch, type SandboxRequest } from "../src/node/process/sandbox/sandboxLaunch";
import { sandboxSupport } from "../src/node/process/sandbox/support";
import { median, option } from "./_measure";

/** A repository with one worktree, as a workstream's tools find it. */
function repositoryWithWorktree(): { root: string; worktree: string } {
  const root = mkdtempSync(path.join(tmpdir(), "wsp-bench-sandbox-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  writeFileSync(path.join(root, "README"), "bench\n");
  git("add", "-A");
  git("-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "bench");
  const worktree = path.join(root, ".worktrees", "ws-bench");
  git("worktree", "add", "-q", "--detach", worktree);
  return { root, worktree };
}

async function startMs(
  command: string,
  args: string[],
  cwd: string,
  sandbox?: SandboxRequest,
): Promise<number> {
  const started = process.hrtime.bigint();
  const result = await runProcess(command, args, { cwd, ...(sandbox ? { sandbox } : {}) });
  if (result.exitCode !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function run(args: string[]): Promise<void> {
  const support = sandboxSupport();
  if (!support.available) {
    process.stdout.write(`  skipped: ${support.reason ?? "no sandbox here"}\n`);
    return;
  }
  const n = option(args, "--n", 60);
  const { root, worktree } = repositoryWithWorktree();
  const sandbox: SandboxRequest = {
    worktree,
    repoRoot: root,
    secrets: [],
    homeFolders: [],
    network: "host",
    envAllow: baseEnvAllowList,
  };
  try {
    process.stdout.write(`  ${support.engine}; ${n} starts each, alternating, through runProcess\n`);
    for (const [label, command, toolArgs] of [
      ["true", "true", []],
      ["node -e 0", process.execPath, ["-e", "0"]],
    ] as const) {
      const bare: number[] = [];
      const boxed: number[] = [];
      for (let i = 0; i < 3; i++) {
        await startMs(command, [...toolArgs], worktree);
        await startMs(command, [...toolArgs], worktree, sandbox);
      }
      for (let i = 0; i < n; i++) {
        bare.push(await startMs(command, [...toolArgs], worktree));
        boxed.push(await startMs(command, [...toolArgs], worktree, sandbox));
      }
      const added = median(boxed) - median(bare);
      process.stdout.write(
        `  ${label.padEnd(10)} bare median ${median(bare).toFixed(1)} ms, sandboxed ${median(boxed).toFixed(1)} ms: ` +
          `+${added.toFixed(1)} ms per start (${(median(boxed) / median(bare)).toFixed(2)}×)  ` +
          `${added <= 15 ? "PASS" : "FAIL"} (target ≤ +15 ms)\n`,
      );
    }
    const launch = sandboxLaunch("true", [], { cwd: worktree, env: process.env }, sandbox);
    const spawnMs = (command: string, argv: string[], env?: NodeJS.ProcessEnv): number => {
      const started = process.hrtime.bigint();
      const result = spawnSync(command, argv, { cwd: worktree, ...(env ? { env } : {}) });
      if (result.status !== 0) throw new Error(`${command} failed: ${String(result.stderr)}`);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const direct: number[] = [];
    const wrapped: number[] = [];
    for (let i = 0; i < n; i++) {
      direct.push(spawnMs("true", []));
      wrapped.push(spawnMs(launch.command, launch.args, launch.env));
    }
    process.stdout.write(
      `  bwrap alone: true spawned directly ${median(direct).toFixed(1)} ms, in bwrap ${median(wrapped).toFixed(1)} ms: ` +
        `+${(median(wrapped) - median(direct)).toFixed(1)} ms  ${median(wrapped) - median(direct) <= 15 ? "PASS" : "FAIL"} (target ≤ +15 ms)\n`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
