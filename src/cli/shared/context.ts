/** What every orchestration command loads: the workspace, its bundles, the configs and the store. */
import path from "node:path";
import { prepareRunSandbox, sandboxWarning } from "../../node/orchestrator/toolSandbox";
import { loadWorktreeSettings } from "../../node/tools/worktreeConfig";
import { setFlagsFromString } from "node:v8";
import { UserError } from "../../core/errors";
import { type LoadedBundle } from "../../core/bundle/types";
import { type Store } from "../../core/store";
import { validateWorkspaceDir, WorkstreamDirError } from "../../node/bundles";
import { currentBranch, repoRoot } from "../../node/git";
import {
  resolveDbPath,
  resolveSchemaPath,
  resolveWorkstreamDir,
  resolveWorktreesDir,
} from "../../node/paths";
import { openStore } from "../../node/store";
import { loadSqlJs } from "../../node/store/sqlJs";
import { loadBreakerConfig, loadToolProfiles } from "../../node/tools/config";
import { detectTools, loadRegistry, routeCapability } from "../../node/aim";
import { type ToolProfiles } from "../../core/orchestrator/profiles";
import { type OrchestratorSettings } from "../../node/orchestrator/types";
import { type CommandIO } from "../io";

export interface CommonOptions {
  db?: string;
  base?: string;
  worktrees?: string;
  keepWorktrees?: boolean;
  dryRun?: boolean;
  verbose?: boolean;
  /** required | auto | off; overrides config/sandbox.yaml and $PIPELINE_SANDBOX. */
  sandbox?: string;
  /** Go on although validation reports errors (each is printed as it is ignored). */
  ignoreValidationErrors?: boolean;
}

export interface Workspace {
  root: string;
  bundles: LoadedBundle[];
}

/**
 * Loads and validates every bundle, and refuses (exit 2, a configuration error) when validation
 * reports any error, an overlap or an unreadable entry included: a run on a set that does not
 * validate works from bundles other than the ones written. `--ignore-validation-errors` overrides,
 * printing each error it ignores; the scheduler still never runs two overlapping workstreams at once.
 * Merging and listing work already done pass `overlapsBlock: false`: an overlap is about starting
 * workstreams side by side, and a conflict it caused is for the merge to report.
 */
export async function loadWorkspace(
  io: CommandIO,
  options: Pick<CommonOptions, "ignoreValidationErrors"> = {},
  { overlapsBlock = true }: { overlapsBlock?: boolean } = {},
): Promise<Workspace> {
  const root = await repoRoot(io.cwd);
  const dir = resolveWorkstreamDir(io.cwd, io.env);
  let result;
  try {
    result = await validateWorkspaceDir(dir);
  } catch (error) {
    if (error instanceof WorkstreamDirError) throw new UserError(error.message);
    throw error;
  }
  const errors = result.diagnostics.filter(
    (d) => d.severity === "error" && (overlapsBlock || d.type !== "overlap"),
  );
  if (errors.length > 0) {
    const lines = errors.map((d) => `${path.relative(io.cwd, d.file)}:${d.line}:${d.column}: ${d.message}`);
    if (options.ignoreValidationErrors !== true)
      throw new UserError(
        `the workstream bundles have errors (see wsp validate; --ignore-validation-errors goes on anyway):\n${lines.join("\n")}`,
      );
    io.err(`wsp: ignoring ${errors.length} validation error(s) (--ignore-validation-errors):\n`);
    for (const line of lines) io.err(`wsp:   ${line}\n`);
  }
  return { root, bundles: result.bundles };
}

let baselineWasm = false;
/**
 * A CLI run compiles sql.js's WebAssembly once and then runs small queries: V8 recompiling SQLite's
 * hot functions with its optimising tier (TurboFan) in the background cost ~15% of a 20-workstream
 * run's CPU, competing with git and the tools, and never paid back (bench/orchestrator.ts). Set before
 * the store's first open in this process; the extension host never comes here.
 */
function preferBaselineWasm(): void {
  if (baselineWasm) return;
  baselineWasm = true;
  setFlagsFromString("--liftoff-only");
}

/**
 * Starts compiling sql.js's WebAssembly now, on V8's background threads, so it overlaps the
 * bundle validation that comes first instead of following it; `openWorkspaceStore` then finds it
 * ready. A failure is left for that open to report.
 */
export function warmUpStore(): void {
  preferBaselineWasm();
  loadSqlJs().catch(() => undefined);
}

export async function openWorkspaceStore(
  io: CommandIO,
  db: string | undefined,
  readOnly = false,
): Promise<Store> {
  preferBaselineWasm();
  const schemaPath = resolveSchemaPath(undefined, io.env, io.cwd);
  return openStore({
    path: resolveDbPath(db, io.env, io.cwd),
    readOnly,
    ...(schemaPath ? { schemaPath } : {}),
  });
}

/** The `wsp` script itself, so the scripted editor can call back into it. */
export function wspCliPath(env: NodeJS.ProcessEnv): string {
  return env.WSP_CLI_PATH ?? process.argv[1] ?? "wsp";
}

export async function orchestratorSettings(
  io: CommandIO,
  workspace: Workspace,
  options: CommonOptions,
): Promise<OrchestratorSettings> {
  const dryRun = options.dryRun === true || io.env.PIPELINE_DRY_RUN === "1";
  const worktreesDir = resolveWorktreesDir(workspace.root, io.env, options.worktrees);
  const stream = options.verbose === true;
  const profiles = loadToolProfiles(workspace.root, io.env, (line) => io.err(`wsp: ${line}\n`));
  const capabilityRoutes = await capabilityRoutesFor(workspace, profiles, io.env);
  // A dry run starts no tool, so it neither probes the machine nor warns.
  const sandbox = dryRun
    ? await prepareRunSandbox(workspace.root, io.env, "off")
    : await prepareRunSandbox(workspace.root, io.env, options.sandbox, profiles.values());
  const warning = sandboxWarning(sandbox);
  if (warning !== undefined) io.err(`wsp: ${warning}\n`);
  return {
    sandbox,
    worktree: loadWorktreeSettings(workspace.root),
    repoRoot: workspace.root,
    worktreesDir,
    baseRef: options.base ?? (await currentBranch(workspace.root)),
    profiles,
    ...(capabilityRoutes ? { capabilityRoutes } : {}),
    breakers: loadBreakerConfig(workspace.root, io.env),
    env: io.env,
    wspCli: wspCliPath(io.env),
    dryRun,
    keepWorktrees: options.keepWorktrees === true,
    log: (line) => io.err(`wsp: ${line}\n`),
    ...(stream
      ? {
          onToolOutput: (wsId: string, _stream: "stdout" | "stderr", chunk: string) =>
            io.err(chunk.replace(/^(?=.)/gm, `[${wsId}] `)),
        }
      : {}),
  };
}

/**
 * For bundles that name a capability instead of a tool: each capability's installed edit tools, best
 * first, by the registry's routing. Detection runs the tools' version commands, so it happens once
 * per command and only when some bundle needs it.
 */
async function capabilityRoutesFor(
  workspace: Workspace,
  profiles: ToolProfiles,
  env: NodeJS.ProcessEnv,
): Promise<Map<string, string[]> | undefined> {
  const capabilities = new Set(workspace.bundles.flatMap(({ bundle }) => bundle.capability ?? []));
  if (capabilities.size === 0) return undefined;
  const { registry } = await loadRegistry(workspace.root, env);
  const installed = new Set(
    (await detectTools(registry, workspace.root, env))
      .filter((tool) => tool.installed)
      .map((tool) => tool.id),
  );
  const isUsable = (toolId: string) => installed.has(toolId) && profiles.get(toolId)?.kind === "edit";
  return new Map(
    [...capabilities].map((capability) => [capability, routeCapability(registry, capability, isUsable)]),
  );
}

/** `run-<UTC YYYYMMDDTHHMMSSZ>`, as the original named runs. */
export function defaultRunId(now = new Date()): string {
  return `run-${now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}`;
}
