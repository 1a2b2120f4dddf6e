import { existsSync } from "node:fs";
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { BUILTIN_PLUGINS } from "../../../core/check/plugins";
import { extractVersion } from "../../../core/check/result";
import { detectTools, loadRegistry } from "../../../node/aim";
import { packageRoot } from "../../../node/aim/packageRoot";
import { writeFileAtomic } from "../../../node/files/atomicFile";
import { readConfigTextIfExists } from "../../../node/files/configText";
import { createFileExclusive } from "../../../node/files/existingFile";
import { runCommandSpec } from "../../../node/process/toolProcess";
import { sandboxLine, sandboxSupport, type SandboxSupport } from "../../../node/process/sandbox/support";
import { gitVersion } from "../../../node/git";
import {
  CONFIG_DIR,
  DEFAULT_DB_PATH,
  DEFAULT_WORKSTREAM_DIR,
  DEFAULT_WORKTREES_DIR,
  configFile,
} from "../../../node/paths";
import { UserError } from "../../../core/errors";
import { type CommandIO } from "../../io";
import { appendIgnoreEntries, missingIgnoreEntries } from "./gitignoreEntries";

const STATE_DIR = path.dirname(DEFAULT_DB_PATH);
export const INIT_DIRECTORIES = [DEFAULT_WORKSTREAM_DIR, CONFIG_DIR, STATE_DIR];
export const IGNORE_ENTRIES = [`${DEFAULT_WORKTREES_DIR}/`, `${STATE_DIR}/`];

export interface InitOptions {
  json?: boolean;
}

export interface InitReport {
  created: string[];
  kept: string[];
  gitignore: { added: string[] };
  tools: { id: string; kind: "ai" | "check" | "vcs"; available: boolean; version?: string }[];
  /** Whether tools can run contained here (docs/sandbox.md). */
  sandbox: SandboxSupport;
}

/**
 * `wsp init`: creates workstreams/, config/ (with the shipped defaults), state/ and the .gitignore
 * entries, then reports which tools are available. Idempotent; never overwrites an existing file.
 */
export async function init(options: InitOptions, io: CommandIO): Promise<number> {
  const report: InitReport = {
    created: [],
    kept: [],
    gitignore: { added: [] },
    tools: [],
    sandbox: sandboxSupport(),
  };
  for (const dir of INIT_DIRECTORIES) {
    const target = path.join(io.cwd, dir);
    if (existsSync(target)) report.kept.push(`${dir}/`);
    else {
      await mkdir(target, { recursive: true });
      report.created.push(`${dir}/`);
    }
  }
  for (const name of await shippedConfigFiles()) {
    const relative = `${CONFIG_DIR}/${name}`;
    const content = await readFile(configFile(packageRoot(), name), "utf8");
    if (await createFileExclusive(path.join(io.cwd, relative), content)) report.created.push(relative);
    else report.kept.push(relative);
  }
  const gitignorePath = path.join(io.cwd, ".gitignore");
  const gitignore = readConfigTextIfExists(gitignorePath) ?? "";
  const missing = missingIgnoreEntries(gitignore, IGNORE_ENTRIES);
  if (missing.length > 0) {
    writeFileAtomic(gitignorePath, appendIgnoreEntries(gitignore, missing), { durable: false });
    report.gitignore.added = missing;
  }
  report.tools = await availableTools(io);

  if (options.json) {
    io.out(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  for (const item of report.created) io.out(`created ${item}\n`);
  for (const item of report.kept) io.out(`kept    ${item} (already there)\n`);
  io.out(
    report.gitignore.added.length > 0
      ? `.gitignore: added ${report.gitignore.added.join(", ")}\n`
      : `.gitignore: already ignores ${IGNORE_ENTRIES.join(" and ")}\n`,
  );
  io.out("Tools:\n");
  for (const tool of report.tools) {
    io.out(
      `  ${tool.kind.padEnd(5)} ${tool.id.padEnd(12)} ${tool.available ? (tool.version ?? "available") : "missing"}\n`,
    );
  }
  io.out(`${sandboxLine(report.sandbox)}\n`);
  return 0;
}

/** The config files Workstream Pipeline ships (`config/*.json|yaml|yml` at its package root). */
async function shippedConfigFiles(): Promise<string[]> {
  const dir = path.join(packageRoot(), CONFIG_DIR);
  if (!existsSync(dir)) return [];
  return (await readdir(dir)).filter((name) => /\.(json|ya?ml)$/.test(name)).sort();
}

async function availableTools(io: CommandIO): Promise<InitReport["tools"]> {
  const gitVersionText = await gitVersion(io.cwd, io.env);
  const checkPlugins = BUILTIN_PLUGINS.filter((plugin) => plugin.kind === "tool");
  const checks = await Promise.all(
    checkPlugins.map(async (plugin) => {
      const probe = await runCommandSpec(plugin.detect, io.cwd, io.env, 10_000);
      const available = !probe.notFound && probe.exitCode === 0;
      return {
        id: plugin.id,
        kind: "check" as const,
        available,
        ...(available ? { version: extractVersion(probe.stdout) } : {}),
      };
    }),
  );
  let registry;
  try {
    ({ registry } = await loadRegistry(io.cwd, io.env));
  } catch (error) {
    // A broken registry of the user's must not stop the bootstrap; say so and detect with the default.
    if (!(error instanceof UserError)) throw error;
    io.err(`init: ${error.message}\ninit: detecting AI tools with the shipped registry instead\n`);
    ({ registry } = await loadRegistry(packageRoot(), {}));
  }
  const agents = (await detectTools(registry, io.cwd, io.env)).map((tool) => ({
    id: tool.id,
    kind: "ai" as const,
    available: tool.installed,
    ...(tool.version ? { version: tool.version } : {}),
  }));
  return [
    {
      id: "git",
      kind: "vcs",
      available: gitVersionText !== undefined,
      ...(gitVersionText !== undefined ? { version: extractVersion(gitVersionText) } : {}),
    },
    ...checks,
    ...agents,
  ];
}
