/**
 * `npm run bench -- worktrees [--packages 40] [--files 500] [--kb 10]`: how long, and how much extra
 * disk, until a new worktree can run a test that needs the base's node_modules. The repository's
 * node_modules is installed by real npm from packed tarballs (default 40 × 500 files × 10 KB: 20,000
 * files, 200 MB). Three ways, in the same run, each from `git worktree add` until one
 * `node -e "require(...)"` has passed in the worktree:
 *
 * - ours: wsp's preparation (an overlay of the base's node_modules) and the test in the sandbox;
 * - naive: `npm ci --offline` from the warm cache, then the test;
 * - full copy: `cp -a` of node_modules, then the test.
 *
 * Targets: ours ≤ 0.05× the naive time, ≤ 1% of its extra disk, and 8 worktrees at once ≤ 1.1× the
 * disk of one: the dependencies on disk (the base's node_modules plus every worktree's share) with 8
 * worktrees ready against with one.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { baseEnvAllowList } from "../src/core/sandbox/policy";
import { defaultWorktreeSettings } from "../src/core/worktree/settings";
import { diskUsage, readableSize } from "../src/node/files/diskUsage";
import { prepareWorktreeEnvironment } from "../src/node/orchestrator/worktreeEnvironment";
import { sharedStateDir } from "../src/node/paths";
import { runProcess } from "../src/node/process/runProcess";
import { overlaySupport } from "../src/node/process/sandbox/overlay";
import { sandboxSupport } from "../src/node/process/sandbox/support";
import { option } from "./_measure";

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** A repository whose node_modules npm installed from `packages` packed tarballs. */
function repository(
  scratch: string,
  packages: number,
  files: number,
  kb: number,
): { root: string; cache: string } {
  const tarballs = path.join(scratch, "tarballs");
  const cache = path.join(scratch, "npm-cache");
  mkdirSync(tarballs, { recursive: true });
  const line = "module.exports = 'bench';\n".repeat(Math.ceil((kb * 1024) / 26));
  for (let p = 0; p < packages; p++) {
    const source = path.join(scratch, "sources", `pkg${p}`);
    mkdirSync(path.join(source, "lib"), { recursive: true });
    writeFileSync(
      path.join(source, "package.json"),
      JSON.stringify({ name: `pkg${p}`, version: "1.0.0", main: "index.js" }),
    );
    writeFileSync(path.join(source, "index.js"), "module.exports = 1;\n");
    for (let f = 0; f < files - 2; f++) writeFileSync(path.join(source, "lib", `f${f}.js`), line);
    execFileSync("npm", ["pack", "--silent", "--pack-destination", tarballs], {
      cwd: source,
      stdio: "ignore",
    });
  }
  const root = path.join(scratch, "repo");
  mkdirSync(root);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  const dependencies = Object.fromEntries(
    Array.from({ length: packages }, (_, p) => [
      `pkg${p}`,
      `file:${path.join(tarballs, `pkg${p}-1.0.0.tgz`)}`,
    ]),
  );
  writeFileSync(
    path.join(root, "package.json"),
    JSON.stringify({ name: "bench", version: "1.0.0", dependencies }, null, 2),
  );
  writeFileSync(path.join(root, ".gitignore"), "node_modules/\n.worktrees/\n");
  const env = { ...process.env, npm_config_cache: cache };
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--silent"], {
    cwd: root,
    env,
    stdio: "ignore",
  });
  git("add", "-A");
  git("-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "bench");
  return { root, cache };
}

function addWorktree(root: string, name: string): string {
  const worktree = path.join(root, ".worktrees", name);
  execFileSync("git", ["worktree", "add", "-q", "--detach", worktree], { cwd: root, stdio: "ignore" });
  return worktree;
}

const TEST = ["-e", "require('pkg0'); require('pkg1')"];

async function ours(root: string, name: string): Promise<{ seconds: number; worktree: string }> {
  const start = process.hrtime.bigint();
  const worktree = addWorktree(root, name);
  const worktreesDir = path.join(root, ".worktrees");
  const environment = await prepareWorktreeEnvironment({
    repoRoot: root,
    worktreesDir,
    worktree,
    wsId: name,
    settings: defaultWorktreeSettings,
    overlay: true,
  });
  const test = await runProcess(process.execPath, TEST, {
    cwd: worktree,
    sandbox: {
      worktree,
      repoRoot: root,
      secrets: [],
      homeFolders: [],
      network: "host",
      envAllow: baseEnvAllowList,
      overlays: environment.overlays,
    },
  });
  if (test.exitCode !== 0) throw new Error(`ours: the test failed: ${test.stderr}`);
  return { seconds: seconds(start), worktree };
}

function bare(
  root: string,
  name: string,
  provision: (worktree: string) => void,
): { seconds: number; worktree: string } {
  const start = process.hrtime.bigint();
  const worktree = addWorktree(root, name);
  provision(worktree);
  execFileSync(process.execPath, TEST, { cwd: worktree, stdio: "ignore" });
  return { seconds: seconds(start), worktree };
}

/** What a worktree took beyond its checkout: its node_modules (or share) and its share's state. */
function extraDisk(root: string, worktree: string, name: string): number {
  return diskUsage([
    path.join(worktree, "node_modules"),
    sharedStateDir(path.join(root, ".worktrees"), name),
  ]);
}

export async function run(args: string[]): Promise<void> {
  const sandbox = sandboxSupport();
  const scratch = mkdtempSync(path.join(tmpdir(), "wsp-bench-worktrees-"));
  try {
    const overlay = overlaySupport(path.join(scratch, "probe"));
    if (!sandbox.available || !overlay.available) {
      process.stdout.write(`  skipped: ${sandbox.reason ?? overlay.reason ?? "no sandbox"}\n`);
      return;
    }
    const packages = option(args, "--packages", 40);
    const files = option(args, "--files", 500);
    const kb = option(args, "--kb", 10);
    const setupStart = process.hrtime.bigint();
    const { root, cache } = repository(scratch, packages, files, kb);
    const base = diskUsage([path.join(root, "node_modules")]);
    process.stdout.write(
      `  base node_modules: ${packages * files} files, ${readableSize(base)} (built in ${seconds(setupStart).toFixed(1)} s)\n`,
    );
    const npmEnv = { ...process.env, npm_config_cache: cache };
    const results: { label: string; seconds: number; disk: number }[] = [];
    const oursRun = await ours(root, "ours");
    results.push({
      label: "ours (overlay)",
      seconds: oursRun.seconds,
      disk: extraDisk(root, oursRun.worktree, "ours"),
    });
    const naive = bare(root, "naive", (worktree) =>
      execFileSync("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--silent"], {
        cwd: worktree,
        env: npmEnv,
        stdio: "ignore",
      }),
    );
    results.push({
      label: "naive (npm ci --offline)",
      seconds: naive.seconds,
      disk: extraDisk(root, naive.worktree, "naive"),
    });
    const copy = bare(root, "copy", (worktree) =>
      execFileSync("cp", ["-a", path.join(root, "node_modules"), path.join(worktree, "node_modules")]),
    );
    results.push({
      label: "full copy (cp -a)",
      seconds: copy.seconds,
      disk: extraDisk(root, copy.worktree, "copy"),
    });
    for (const result of results)
      process.stdout.write(
        `  ${result.label.padEnd(26)} ${result.seconds.toFixed(3)} s, extra disk ${readableSize(result.disk)}\n`,
      );
    const [mine, npmCi] = results as [(typeof results)[0], (typeof results)[0]];
    const timeRatio = mine.seconds / npmCi.seconds;
    const diskRatio = mine.disk / npmCi.disk;
    process.stdout.write(
      `  time: ours / naive = ${timeRatio.toFixed(4)}×  ${timeRatio <= 0.05 ? "PASS" : "FAIL"} (target ≤ 0.05×)\n` +
        `  disk: ours / naive = ${(diskRatio * 100).toFixed(3)}%  ${diskRatio <= 0.01 ? "PASS" : "FAIL"} (target ≤ 1%)\n`,
    );
    const eight: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const run = await ours(root, `eight-${i}`);
        eight.push(extraDisk(root, run.worktree, `eight-${i}`));
      }),
    );
    const eightTotal = eight.reduce((sum, bytes) => sum + bytes, 0);
    // The dependencies a worktree runs on are the base's: with 8 worktrees ready the repository takes
    // the base's node_modules once plus 8 shares, against once plus 1 share for a single worktree.
    const scale = (base + eightTotal) / (base + mine.disk);
    process.stdout.write(
      `  8 worktrees at once: ${readableSize(base + eightTotal)} of dependencies on disk, against ${readableSize(base + mine.disk)} with one: ` +
        `${scale.toFixed(4)}×  ${scale <= 1.1 ? "PASS" : "FAIL"} (target ≤ 1.1×; each share adds ${readableSize(eightTotal / 8)} of empty folders, ` +
        `a naive install ${readableSize(npmCi.disk)})\n`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
