/**
 * `npm run bench -- merge [--n 20] [--rounds 3]`: N done workstreams through `wsp merge --all` (the
 * merge queue: a merge per workstream in an integration worktree, then the gate, which is the
 * repository's check plus the acceptance tests of everything merged so far) against a bash script
 * doing the same merges in a worktree and running the same gate commands after each, then moving
 * main. Both start from the same repository state each round (main reset, the queue's ref dropped)
 * and alternate. Target: the queue ≤ 1.2× the script's wall time (the fastest round of each, since
 * other work on the machine only adds time; every round is printed).
 *
 * The queue runs its gate in the sandbox as configured (auto: on where bubblewrap works); the script
 * runs the commands bare, so the sandbox's cost is inside the ratio. A second line gives the queue
 * with `--sandbox off`, like for like.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { option } from "./_measure";

const REPO = path.resolve(import.meta.dirname, "..");
const CLI = process.env.WSP_BENCH_CLI ?? path.join(REPO, "dist", "cli.js");

function ids(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `ws-m${String(i).padStart(2, "0")}`);
}

/** A repository whose N workstreams each add a module and its test; `wsp run --all` makes them done. */
function workspace(n: number): string {
  const root = mkdtempSync(path.join(tmpdir(), "wsp-bench-merge-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "bench@example.invalid");
  git("config", "user.name", "Bench");
  for (const dir of ["workstreams", "config", "src", "test"]) mkdirSync(path.join(root, dir));
  writeFileSync(
    path.join(root, "check.js"),
    'const fs = require("fs");\nfor (const f of fs.readdirSync("src")) require("./src/" + f);\n',
  );
  writeFileSync(path.join(root, "src", "base.js"), "module.exports = 0;\n");
  writeFileSync(path.join(root, "config", "merge_queue.yaml"), 'gate: ["node check.js"]\n');
  const profiles = readFileSync(path.join(REPO, "config", "tool_profiles.json"), "utf8");
  writeFileSync(path.join(root, "config", "tool_profiles.json"), profiles);
  for (const id of ids(n)) {
    const module = `src/${id}.js`;
    const test = `test/${id}.test.js`;
    const bundle = {
      id,
      openspec_change: "BENCH",
      ccpm_issue: 0,
      gate: 1,
      files_scope: [module, test],
      files_create: [module, test],
      tasks: ["add a module"],
      acceptance_tests: [`node ${test}`],
      depends_on: [],
      tool: "scripted",
      static_tools: [],
      scripted_edits: {
        edit: [
          { path: module, write: `module.exports = ${JSON.stringify(id)};\n` },
          { path: test, write: `if (require("../${module}") !== ${JSON.stringify(id)}) process.exit(1);\n` },
        ],
      },
    };
    writeFileSync(path.join(root, "workstreams", `${id}.json`), JSON.stringify(bundle, null, 2));
  }
  git("add", "-A");
  git("commit", "-q", "-m", "bench workspace");
  wsp(root, ["run", "--all", "-j", "2"]);
  return root;
}

function wsp(root: string, args: string[]): void {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(`wsp ${args.join(" ")} failed (${result.status}):\n${result.stderr.slice(-3000)}`);
}

/** The same merges and gate commands as the queue, by hand. */
const SCRIPT = `set -euo pipefail
wt="$1"; shift
git worktree add -q --detach "$wt" main
cd "$wt"
merged=()
for id in "$@"; do
  git merge -q --no-ff --no-edit "workstream/$id"
  merged+=("$id")
  node check.js
  for m in "\${merged[@]}"; do node "test/$m.test.js"; done
done
head=$(git rev-parse HEAD)
cd - >/dev/null
git update-ref refs/heads/main "$head"
git worktree remove --force "$wt"
`;

function timed(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function run(args: string[]): Promise<void> {
  await Promise.resolve();
  const n = option(args, "--n", 20);
  const rounds = option(args, "--rounds", 3);
  const root = workspace(n);
  const start = execFileSync("git", ["rev-parse", "main"], { cwd: root, encoding: "utf8" }).trim();
  const reset = () => {
    execFileSync("git", ["update-ref", "refs/heads/main", start], { cwd: root });
    execFileSync("git", ["reset", "-q", "--hard", "main"], { cwd: root });
    spawnSync("git", ["update-ref", "-d", "refs/wsp/merge-queue/main"], { cwd: root });
  };
  const script = path.join(root, "..", `${path.basename(root)}-merge.sh`);
  writeFileSync(script, SCRIPT);
  const sides = { queue: [] as number[], bare: [] as number[], script: [] as number[] };
  try {
    for (let round = 0; round < rounds; round++) {
      const measure = {
        queue: () => wsp(root, ["merge", "--all"]),
        bare: () => wsp(root, ["merge", "--all", "--sandbox", "off"]),
        script: () =>
          execFileSync("bash", [script, path.join(root, ".bench-wt"), ...ids(n)], {
            cwd: root,
            stdio: "ignore",
          }),
      };
      type Side = keyof typeof measure;
      const order: Side[] = round % 2 === 0 ? ["script", "queue", "bare"] : ["queue", "bare", "script"];
      for (const side of order) {
        reset();
        sides[side].push(timed(measure[side]));
      }
      process.stdout.write(
        `round ${round + 1}: script ${sides.script[round].toFixed(2)} s, queue ${sides.queue[round].toFixed(2)} s, queue without sandbox ${sides.bare[round].toFixed(2)} s\n`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(script, { force: true });
  }
  const best = (values: number[]) => Math.min(...values);
  const ratio = best(sides.queue) / best(sides.script);
  process.stdout.write(
    `merge queue, ${n} workstreams: ${ratio.toFixed(2)}× the script (fastest rounds: ${best(sides.queue).toFixed(2)} s vs ${best(sides.script).toFixed(2)} s) ${ratio <= 1.2 ? "OK" : "OVER TARGET"} (target ≤ 1.2×)\n` +
      `  without the sandbox: ${(best(sides.bare) / best(sides.script)).toFixed(2)}×\n`,
  );
}
