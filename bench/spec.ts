/**
 * `npm run bench -- spec [files]`: a cold `wsp spec index` over a generated docs tree (20,000 files
 * by default), in text and JSON and with the Node reader alone, each against `rg -n
 * '\[IDX-[A-Z0-9-]+\]'` on the same tree in the same run (target ≤ 2× ripgrep's wall time), then the incremental update of one changed file (target ≤ 5 ms).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SpecIndex } from "../src/core/spec/specIndex";
import { findByGlobs, readTextFile } from "../src/node/spec/files";
import { DEFAULT_SCAN_CONFIG } from "../src/node/spec/config";
import { median } from "./_measure";

const RUNS = 5;
const REPO_ROOT = path.resolve(import.meta.dirname, "..");

/** A deterministic docs tree: every file defines four tags in headings and refers to two others. */
export function generateTree(root: string, fileCount: number): number {
  let tags = 0;
  for (let file = 0; file < fileCount; file += 1) {
    const area = `area${file % 40}`;
    const directory = path.join(root, "docs", area, `part${Math.floor(file / 40) % 25}`);
    mkdirSync(directory, { recursive: true });
    const lines = [
      `# Spec ${file}`,
      "",
      "Intro prose with [a link](https://example.invalid) and [brackets].",
    ];
    for (let section = 1; section <= 4; section += 1) {
      lines.push(
        "",
        `## [IDX-${area.toUpperCase()}-F${file}-${String(section).padStart(2, "0")}] Section ${section}`,
        "",
      );
      for (let prose = 0; prose < 5; prose += 1)
        lines.push(`Prose line ${prose} of section ${section}, about things.`);
      tags += 1;
    }
    for (const other of [(file + 1) % fileCount, (file + 7) % fileCount]) {
      lines.push(`See also [IDX-AREA${other % 40}-F${other}-01] for details.`);
      tags += 1;
    }
    writeFileSync(path.join(directory, `spec-${file}.md`), `${lines.join("\n")}\n`);
  }
  return tags;
}

/**
 * Runs a command to completion and measures its wall time, start-up included, and the CPU time
 * (user + system, every thread) it used, which a shared machine distorts far less than wall time.
 * The CPU time comes from bash's `times` builtin, written to a separate pipe.
 */
function wallTime(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ ms: number; cpuMs: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const script = '"$@"; status=$?; times >&3; exit $status';
    const child = spawn("bash", ["-c", script, "bash", command, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "ignore", "pipe"],
    });
    let lines = 0;
    child.stdout!.on("data", (chunk: Buffer) => {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
    });
    let times = "";
    (child.stdio[3] as NodeJS.ReadableStream).on("data", (chunk: Buffer) => (times += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The second line of `times` holds the children's user and system time, e.g. "0m0.520s 0m0.210s".
      const seconds = [...(times.split("\n")[1] ?? "").matchAll(/(\d+)m([\d.]+)s/g)].map(
        (match) => Number(match[1]) * 60 + Number(match[2]),
      );
      const cpuMs = (seconds[0] ?? NaN) * 1000 + (seconds[1] ?? NaN) * 1000;
      // rg exits 1 when nothing matched; anything else non-zero is a failure.
      if (status !== 0 && !(command === "rg" && status === 1))
        reject(new Error(`${command} exited ${status}`));
      else resolve({ ms, cpuMs, lines });
    });
  });
}

export async function run(args: string[]): Promise<void> {
  const fileCount = Number(args[0] ?? 20_000);
  if (spawnSync("rg", ["--version"]).status !== 0) {
    process.stdout.write("ripgrep (rg) is not installed: apt-get install -y ripgrep\n");
    process.exitCode = 1;
    return;
  }
  execFileSync("node", ["esbuild.mjs"], { cwd: REPO_ROOT, stdio: "inherit" });
  const cli = path.join(REPO_ROOT, "dist", "cli.js");
  const root = mkdtempSync(path.join(tmpdir(), "wsp-bench-spec-"));
  try {
    mkdirSync(path.join(root, ".git")); // marks the repository root for `wsp`; rg ignores it
    const expected = generateTree(root, fileCount);
    process.stdout.write(`generated ${fileCount} docs with ${expected} tag occurrences in ${root}\n`);
    // Warm the page cache for both tools, so each run measures process start-up, walk and scan.
    await wallTime("rg", ["-n", "\\[IDX-[A-Z0-9-]+\\]", "docs"], root);
    // Three ways to run wsp, each paired with an rg run: text and JSON with the default Node
    // reader, and text with rg doing the reading (PIPELINE_RIPGREP=rg).
    const variants = [
      { label: "text, Node reads", args: ["spec", "index"], env: {} },
      { label: "json, Node reads", args: ["spec", "index", "--format", "json"], env: {} },
      { label: "text, rg reads", args: ["spec", "index"], env: { PIPELINE_RIPGREP: "rg" } },
    ];
    const runs = variants.map(() => ({
      wsp: [] as number[],
      rg: [] as number[],
      wspCpu: [] as number[],
      ratios: [] as number[],
    }));
    const rgCpu: number[] = [];
    let counts = { wsp: 0, rg: 0 };
    for (let attempt = 0; attempt < RUNS; attempt += 1) {
      for (const [at, variant] of variants.entries()) {
        const ours = await wallTime("node", [cli, ...variant.args], root, variant.env);
        const theirs = await wallTime("rg", ["-n", "\\[IDX-[A-Z0-9-]+\\]", "docs"], root);
        runs[at].wsp.push(ours.ms);
        runs[at].rg.push(theirs.ms);
        runs[at].wspCpu.push(ours.cpuMs);
        runs[at].ratios.push(ours.ms / theirs.ms);
        rgCpu.push(theirs.cpuMs);
        // JSON adds the two bracket lines.
        if (at === 0) counts = { wsp: ours.lines, rg: theirs.lines };
      }
    }
    for (const [at, variant] of variants.entries()) {
      const { wsp, rg, wspCpu, ratios } = runs[at];
      const ratio = median(wsp) / median(rg);
      const spread = `pairwise ratios ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×`;
      process.stdout.write(
        `cold index (${variant.label}): wsp ${median(wsp).toFixed(0)} ms, rg ${median(rg).toFixed(0)} ms (median of ${RUNS}); ` +
          `ratio ${ratio.toFixed(2)}× (target ≤ 2×) ${ratio <= 2 ? "OK" : "MISSED"}; ${spread}; ` +
          `cpu ${median(wspCpu).toFixed(0)} ms vs rg ${median(rgCpu).toFixed(0)} ms\n`,
      );
    }
    process.stdout.write(
      `matches: wsp ${counts.wsp} lines, rg ${counts.rg} lines${counts.wsp === counts.rg ? "" : " (DIFFER)"}\n`,
    );

    // Incremental: a full in-process index, then one changed file re-scanned and its diagnostics re-derived.
    const problems: never[] = [];
    const files = findByGlobs(root, DEFAULT_SCAN_CONFIG.docs, [], problems);
    const index = new SpecIndex();
    for (const file of files) {
      const result = readTextFile(root, file);
      if ("text" in result) index.updateFile(file, result.text);
    }
    index.diagnostics();
    const samples: number[] = [];
    let diagnosticsSeen = 0;
    for (let sample = 0; sample < 200; sample += 1) {
      const file = files[(sample * 97) % files.length];
      const changed = `${readFileSync(path.join(root, file), "utf8")}\nEdited: see [IDX-AREA1-F1-0${1 + (sample % 4)}].\n`;
      const started = process.hrtime.bigint();
      index.updateFile(file, changed);
      const diagnostics = index.diagnosticsFor(file);
      for (const occurrence of index.occurrencesIn(file)) index.definitionOf(occurrence.idx);
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
      diagnosticsSeen += diagnostics.length;
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const p95 = sorted[Math.floor(sorted.length * 0.95)];
    process.stdout.write(
      `incremental update of one file: median ${median(samples).toFixed(3)} ms, p95 ${p95.toFixed(3)} ms ` +
        `(target ≤ 5 ms) ${p95 <= 5 ? "OK" : "MISSED"}; ${diagnosticsSeen} diagnostics re-derived\n`,
    );
  } finally {
    if (existsSync(root)) rmSync(root, { recursive: true, force: true });
  }
}
