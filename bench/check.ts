/**
 * `npm run bench -- check [files]`: the check engine on N shell and YAML files (real shellcheck and
 * yamllint). Peers in the same run: one tool process per file (the original engine's design)
 * against our batches, and a cold run against a warm content-hash cache. Targets: batching at
 * least 3x faster than per file; a warm cache at least 10x faster than a cold run.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BUILTIN_PLUGINS, runCheck } from "../src/node/check";
import { median } from "./_measure";

const plugins = BUILTIN_PLUGINS.filter((plugin) =>
  ["shellcheck", "yamllint", "yaml-syntax"].includes(plugin.id),
);

async function timed(label: string, work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  process.stdout.write(`${label.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms\n`);
  return ms;
}

export async function run(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 60);
  const dir = mkdtempSync(path.join(tmpdir(), "wsp-bench-check-"));
  try {
    const files: string[] = [];
    for (let index = 0; index < count; index++) {
      const name = index % 2 === 0 ? `script${index}.sh` : `data${index}.yaml`;
      writeFileSync(
        path.join(dir, name),
        name.endsWith(".sh") ? `#!/bin/sh\necho "$${index % 9}"\n` : `---\nkey: ${index}\nlist: [1, 2]\n`,
      );
      files.push(name);
    }
    const options = { files, cwd: dir, env: process.env, plugins };
    process.stdout.write(`${count} files (half shell, half YAML), real shellcheck and yamllint\n`);
    const perFile = await timed("one process per file (peer)", () => runCheck({ ...options, batchSize: 1 }));
    const batched = await timed("batched (ours)", () => runCheck(options));
    // Median of three for the cache pair: the first warm run also pays for module loading and JIT.
    const cachePath = path.join(dir, "cache.json");
    const colds: number[] = [];
    const warms: number[] = [];
    for (let round = 1; round <= 3; round++) {
      rmSync(cachePath, { force: true });
      colds.push(
        await timed(`cold run, filling the cache #${round}`, () => runCheck({ ...options, cachePath })),
      );
      warms.push(
        await timed(`warm cache, nothing changed #${round}`, () => runCheck({ ...options, cachePath })),
      );
    }
    const cold = median(colds);
    const warm = median(warms);
    process.stdout.write(
      `median cold (peer) ${cold.toFixed(0)} ms, median warm (ours) ${warm.toFixed(0)} ms\n`,
    );
    process.stdout.write(
      `batching: ${(perFile / batched).toFixed(1)}x faster than per file (target >= 3x)\n` +
        `cache: ${(cold / warm).toFixed(1)}x faster than a cold run (target >= 10x)\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
