// Bundles the in-host test suite (test/vscode/suite/**) into out/vscode-suite/ as CommonJS, so the
// extension host (code-server here, desktop VS Code under @vscode/test-electron) can load it.
import * as esbuild from "esbuild";
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./tools.mjs";

export const suiteOutDir = path.join(repoRoot, "out", "vscode-suite");

export async function buildTestSuite() {
  const suiteDir = path.join(repoRoot, "test", "vscode", "suite");
  const entryPoints = readdirSync(suiteDir)
    .filter((name) => name.endsWith(".ts"))
    .map((name) => path.join(suiteDir, name));
  rmSync(suiteOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: suiteOutDir,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    sourcemap: "inline",
    logLevel: "warning",
    external: ["vscode", "mocha"],
  });
  return path.join(suiteOutDir, "index.js");
}
