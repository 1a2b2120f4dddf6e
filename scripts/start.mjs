// `npm start`: the main job on a fresh machine. Builds the extension, packages it as a .vsix,
// builds the example workspace (a fresh git repo with workstreams/, example/, docs/, config/),
// starts code-server on 127.0.0.1 with the .vsix installed, opened on that workspace, and prints
// the URL. Runs until Ctrl-C, then stops the server and removes its temp folders.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { installVscodeTools } from "./vscode/install.mjs";
import { packageExtension } from "./vscode/package.mjs";
import { installVsix, startCodeServer } from "./vscode/server.mjs";
import { repoRoot } from "./vscode/tools.mjs";
import { buildWorkspace } from "./vscode/workspace.mjs";

const say = (line) => process.stdout.write(`${line}\n`);
const EXAMPLE_FOLDERS = ["workstreams", "example", "docs", "config"];

function exampleSource() {
  const bundles = path.join(repoRoot, "workstreams");
  if (existsSync(bundles) && readdirSync(bundles).some((name) => name.endsWith(".json"))) return repoRoot;
  // Until the repository's own example set exists, the VS Code tests' fixture stands in for it.
  return path.join(repoRoot, "test", "vscode", "fixtures", "workspace");
}

/** Runs the bundled CLI in the workspace with its output shown; returns its exit code. */
function runCli(workspace, args) {
  say(`    $ wsp ${args.join(" ")}`);
  const result = spawnSync(process.execPath, [path.join(repoRoot, "dist", "cli.js"), ...args], {
    cwd: workspace,
    stdio: ["ignore", "inherit", "inherit"],
  });
  return result.status ?? 1;
}

async function main() {
  // `npm start -- --no-run` opens the workspace without running the example first.
  const runExample = !process.argv.includes("--no-run");
  say("1/5 installing code-server and Node 24 into .tools/ if needed");
  installVscodeTools();
  say("2/5 building and packaging the extension");
  const vsix = packageExtension({ quiet: true });
  say(`    ${path.relative(repoRoot, vsix)}`);
  const source = exampleSource();
  const workspace = buildWorkspace(source, EXAMPLE_FOLDERS, "wsp-demo-");
  say(`3/5 example workspace (from ${path.relative(repoRoot, source) || "."}): ${workspace}`);
  if (runExample) {
    // The CLI on the same example: validate, then run every workstream in dependency order with the
    // deterministic scripted editor, so the extension opens on real run history and branches.
    say("4/5 the CLI on the example workspace");
    runCli(workspace, ["validate"]);
    runCli(workspace, ["run", "--all", "-j", "2"]);
  } else {
    say("4/5 skipped running the example (--no-run)");
  }
  const stateDir = mkdtempSync(path.join(os.tmpdir(), "wsp-demo-state-"));
  await installVsix(vsix, stateDir);
  const port = process.env.WSP_PORT ? Number(process.env.WSP_PORT) : undefined;
  const server = await startCodeServer({
    stateDir,
    port,
    log: (line) => process.env.WSP_VERBOSE && say(`    ${line}`),
  });
  const url = `${server.url}?folder=${encodeURIComponent(workspace)}`;
  say("5/5 VS Code with Workstream Pipeline is running. Open:");
  say("");
  say(`    ${url}`);
  say("");
  say("The CLI on the same example:");
  say(`    cd ${workspace}`);
  say(`    node ${path.join(repoRoot, "dist", "cli.js")} validate`);
  say(`    node ${path.join(repoRoot, "dist", "cli.js")} status`);
  say(`    node ${path.join(repoRoot, "dist", "cli.js")} db runs`);
  say(
    `    node ${path.join(repoRoot, "dist", "cli.js")} merge --all   # the merge queue: gated, one at a time`,
  );
  say(`    node ${path.join(repoRoot, "dist", "cli.js")} --help`);
  say("");
  say("Press Ctrl-C to stop.");

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say("stopping code-server");
    await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(workspace, { recursive: true, force: true });
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error) => {
  process.stderr.write(`start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
