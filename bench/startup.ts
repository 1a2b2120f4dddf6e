/**
 * `npm run bench -- startup [--rounds N]`: how much a short `wsp` command costs beyond starting
 * Node at all. Each round runs bare `node -e 0` and then, from the built dist/cli.js, `wsp
 * --version`, `wsp validate` on the example workstreams and `wsp db runs` on a small store; the
 * report is each command's median wall time against the median of `node -e 0` in the same run.
 * Target: `wsp --version` ≤ 1.3× `node -e 0` (the others are reported, with no target).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openStore } from "../src/node/store";
import { median, option } from "./_measure";

const REPO_ROOT = path.resolve(import.meta.dirname, "..");

interface Probe {
  label: string;
  args: string[];
  target?: number;
}

/** Wall time of one run, start-up and exit included; a failing command fails the bench. */
function timeRun(args: string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(`node ${args.join(" ")} exited ${result.status}: ${String(result.stderr)}`);
  return ms;
}

/** A store with a few runs, as a fresh project's would be. */
async function smallStore(file: string): Promise<void> {
  const store = await openStore({ path: file });
  for (const runId of ["run-a", "run-b", "run-c"]) await store.createRun({ runId });
  await store.close();
}

export async function run(args: string[]): Promise<void> {
  const rounds = option(args, "--rounds", 21);
  execFileSync(process.execPath, ["esbuild.mjs"], { cwd: REPO_ROOT, stdio: "inherit" });
  const cli = path.join(REPO_ROOT, "dist", "cli.js");
  const dir = mkdtempSync(path.join(tmpdir(), "wsp-bench-startup-"));
  try {
    const db = path.join(dir, "pipeline.db");
    await smallStore(db);
    const probes: Probe[] = [
      { label: "node -e 0", args: ["-e", "0"] },
      { label: "wsp --version", args: [cli, "--version"], target: 1.3 },
      { label: "wsp validate (example)", args: [cli, "validate"] },
      { label: "wsp db runs (3 runs)", args: [cli, "db", "runs", "--db", db] },
    ];
    // Two warm-up rounds fill the page cache (and, on a Node that has one, the compile cache).
    for (let round = 0; round < 2; round += 1) for (const probe of probes) timeRun(probe.args, REPO_ROOT);
    const times = probes.map(() => [] as number[]);
    // Interleaved, so a burst of load from elsewhere hits every probe alike.
    for (let round = 0; round < rounds; round += 1)
      probes.forEach((probe, at) => times[at].push(timeRun(probe.args, REPO_ROOT)));
    const bare = median(times[0]);
    const lines = probes.map((probe, at) => {
      const ms = median(times[at]);
      const ratio = ms / bare;
      const pairwise = times[at].map((value, round) => value / times[0][round]).sort((a, b) => a - b);
      const spread = `pairwise ${pairwise[Math.floor(rounds * 0.1)].toFixed(2)}–${pairwise[Math.floor(rounds * 0.9)].toFixed(2)}× (p10–p90)`;
      const verdict =
        probe.target === undefined
          ? ""
          : `   target ≤ ${probe.target}×   ${ratio <= probe.target ? "ok" : "MISSED"}`;
      return `${probe.label.padEnd(24)} median ${ms.toFixed(1).padStart(6)} ms   ${ratio.toFixed(2)}× node -e 0   ${spread}${verdict}`;
    });
    process.stdout.write(`${rounds} interleaved rounds, Node ${process.version}\n${lines.join("\n")}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
