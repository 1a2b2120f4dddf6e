// Builds the extension and packages it as out/workstream-pipeline.vsix with @vscode/vsce.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./tools.mjs";

const require = createRequire(import.meta.url);

/** Builds (production) and packages; returns the .vsix path. */
export function packageExtension({ quiet = false } = {}) {
  const stdio = ["ignore", quiet ? "ignore" : "inherit", "inherit"];
  // A production build writes no source maps: drop a dev build's so they are not packaged.
  rmSync(path.join(repoRoot, "dist"), { recursive: true, force: true });
  execFileSync(process.execPath, ["esbuild.mjs", "--production"], { cwd: repoRoot, stdio });
  const out = path.join(repoRoot, "out", "workstream-pipeline.vsix");
  mkdirSync(path.dirname(out), { recursive: true });
  const vsce = path.join(path.dirname(require.resolve("@vscode/vsce/package.json")), "vsce");
  // README links are relative; vsce rewrites them against the repository named in package.json.
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8"));
  const base = String(manifest.repository?.url ?? "").replace(/\.git$/, "") + "/blob/main";
  // Everything is bundled by esbuild, so vsce need not walk node_modules; no LICENSE file ships yet.
  const args = ["package", "--no-dependencies", "--skip-license", "--out", out];
  execFileSync(process.execPath, [vsce, ...args, "--baseContentUrl", base, "--baseImagesUrl", base], {
    cwd: repoRoot,
    stdio,
  });
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${packageExtension()}\n`);
}
