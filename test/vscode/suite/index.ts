/**
 * Entry point of the in-host test suite: the `run(): Promise<void>` contract that both code-server's
 * smoke-test hook (scripts/vscode/run.mjs) and @vscode/test-electron (.vscode-test.mjs) call.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import Mocha from "mocha";

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: "tdd", color: false, timeout: 20_000, reporter: "spec" });
  for (const name of readdirSync(__dirname).sort()) {
    if (name.endsWith(".test.js")) mocha.addFile(path.join(__dirname, name));
  }
  const failures: string[] = [];
  const counts = await new Promise<{ passed: number; failed: number }>((resolve) => {
    const runner = mocha.run(() =>
      resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 }),
    );
    runner.on("fail", (test, error: Error) =>
      failures.push(`${test.fullTitle()}: ${error.stack ?? error.message}`),
    );
  });
  // Plain lines the runner parses: the extension host's stdout only reaches it through the console.
  for (const failure of failures) console.log(`vscode-suite failure: ${failure}`);
  console.log(`vscode-suite: ${counts.passed} passed, ${counts.failed} failed`);
  if (counts.failed > 0 || counts.passed === 0) throw new Error(`${counts.failed} in-host test(s) failed`);
}
