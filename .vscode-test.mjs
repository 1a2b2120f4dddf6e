// `npm run test:desktop`: runs the same in-host suite (test/vscode/suite, `run(): Promise<void>`) in
// desktop VS Code through @vscode/test-electron. It downloads VS Code, so it needs internet access;
// on machines without it, `npm run test:vscode` runs the suite in code-server instead.
import { runTests } from "@vscode/test-electron";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { buildTestSuite } from "./scripts/vscode/buildTests.mjs";
import { repoRoot } from "./scripts/vscode/tools.mjs";
import { buildWorkspace } from "./scripts/vscode/workspace.mjs";

execFileSync(process.execPath, ["esbuild.mjs"], { cwd: repoRoot, stdio: "inherit" });
const extensionTestsPath = await buildTestSuite();
const workspace = buildWorkspace(`${repoRoot}/test/vscode/fixtures/workspace`, [
  "workstreams",
  "example",
  "docs",
  "config",
]);
try {
  await runTests({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath,
    launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust"],
  });
} catch (error) {
  console.error(`test:desktop: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
