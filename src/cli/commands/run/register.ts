import { type Command, Option } from "commander";
import { type CommandIO } from "../../io";
import { type ExitCodeSink } from "../../cli";

/** Aborts on Ctrl-C or SIGTERM so tools stop and the run is recorded cancelled; a second signal is not caught. */
function cancelOnSignals(io: CommandIO): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: string) => {
    io.err(`wsp: ${name}: stopping the tools and recording the run as cancelled\n`);
    controller.abort();
    dispose();
  };
  const onInt = () => onSignal("SIGINT");
  const onTerm = () => onSignal("SIGTERM");
  const dispose = () => {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  };
  process.once("SIGINT", onInt);
  process.once("SIGTERM", onTerm);
  return { signal: controller.signal, dispose };
}

const common = (command: Command): Command =>
  command
    .option("--db <path>", "state store (default: $PIPELINE_DB_PATH or state/pipeline.db)")
    .option("--base <ref>", "branch workstreams start from and merge into (default: the current branch)")
    .option("--worktrees <dir>", "where worktrees go (default: $PIPELINE_WORKTREES_DIR or .worktrees)");

/** Registers this area's commands on the program; each action lazy-imports its implementation. */
export function registerOrchestrationCommands(
  program: Command,
  io: CommandIO,
  setExitCode: ExitCodeSink,
): void {
  common(program.command("run [ws-id]"))
    .description(
      "Run a workstream (or --all) through EDIT → STATIC → RUNTIME with bounded FIX loops in git worktrees.",
    )
    .option("--run-id <id>", "run id (default: run-<UTC timestamp>)")
    .option("--dry-run", "plan and record, but run no tool (also PIPELINE_DRY_RUN=1)")
    .option("--all", "run every workstream in dependency order")
    .option("-j, --jobs <n>", "with --all: at most N workstreams at a time", "1")
    .option("--only <ids>", "with --all: only these workstreams (comma-separated)")
    .option("--continue", "with --all: keep starting independent workstreams after a failure")
    .addOption(new Option("--events <format>", "stream events on stdout").choices(["ndjson"]))
    .option("--keep-worktrees", "keep worktrees after success too")
    .option("--verbose", "stream the tools' output on stderr")
    .action(async (wsId: string | undefined, options: Record<string, unknown>) => {
      const { run } = await import("./run");
      const cancel = cancelOnSignals(io);
      try {
        setExitCode(await run(wsId, options, io, cancel.signal));
      } finally {
        cancel.dispose();
      }
    });
  common(program.command("resume <run-id>"))
    .description("Reconcile a run a killed orchestrator left running, then carry it on.")
    .option("-j, --jobs <n>", "at most N workstreams at a time", "1")
    .option("--continue", "keep starting independent workstreams after a failure")
    .addOption(new Option("--events <format>", "stream events on stdout").choices(["ndjson"]))
    .option("--verbose", "stream the tools' output on stderr")
    .action(async (runId: string, options: Record<string, unknown>) => {
      const { resume } = await import("./resume");
      const cancel = cancelOnSignals(io);
      try {
        setExitCode(await resume(runId, options, io, cancel.signal));
      } finally {
        cancel.dispose();
      }
    });
  common(program.command("merge [ws-id]"))
    .description(
      "Merge done workstream branches into the base, in dependency order; a conflict leaves the base untouched.",
    )
    .option("--all", "merge every done workstream")
    .action(async (wsId: string | undefined, options: Record<string, unknown>) => {
      const { merge } = await import("./merge");
      setExitCode(await merge(wsId, options, io));
    });
  const worktree = program
    .command("worktree")
    .description("List or prune workstream worktrees and branches.");
  common(worktree.command("list"))
    .option("--json", "print JSON")
    .description("List workstream worktrees and branches, marking orphans.")
    .action(async (options: Record<string, unknown>) => {
      const { worktreeList } = await import("./worktree");
      setExitCode(await worktreeList(options, io));
    });
  common(worktree.command("prune"))
    .option("--dry-run", "only say what would be removed")
    .option("--branches", "also delete orphan branches (not only worktrees)")
    .description("Remove orphan worktrees (no bundle, or no live run) and, with --branches, orphan branches.")
    .action(async (options: Record<string, unknown>) => {
      const { worktreePrune } = await import("./worktree");
      setExitCode(await worktreePrune(options, io));
    });
  program
    .command("scripted-edit", { hidden: true })
    .requiredOption("--bundle <file>")
    .requiredOption("--ws-id <id>")
    .requiredOption("--mode <mode>")
    .option("--attempt <n>", "1-based FIX attempt", "1")
    .action(async (options: { bundle: string; wsId: string; mode: string; attempt?: string }) => {
      const { scriptedEdit } = await import("./scriptedEdit");
      setExitCode(await scriptedEdit(options, io));
    });
}
