/**
 * `npm run bench -- <name> [...]`: runs the named benchmarks (all when none is named). Each
 * `bench/<name>.ts` exports `run()`, measures against its peer in the same run and prints the ratio.
 */
import { readdirSync } from "node:fs";
import path from "node:path";

interface BenchModule {
  run(args: string[]): Promise<void>;
}

async function main(): Promise<void> {
  const available = readdirSync(import.meta.dirname)
    .filter((file) => file.endsWith(".ts") && !file.startsWith("_"))
    .map((file) => path.basename(file, ".ts"))
    .sort();
  const [first, ...rest] = process.argv.slice(2);
  const selected = first === undefined ? available : [first];
  for (const name of selected) {
    if (!available.includes(name)) {
      process.stderr.write(`bench: no benchmark named '${name}'; available: ${available.join(", ")}\n`);
      process.exitCode = 2;
      return;
    }
    process.stdout.write(`\n== bench ${name} ==\n`);
    const module = (await import(`./${name}.ts`)) as BenchModule;
    await module.run(rest);
  }
}

await main();
