/**
 * Run, Dry run, Run all, Retry, Resume and Cancel: each spawns the CLI through the RunManager and
 * shows a progress notification with Cancel. Refused, with the reason, in an untrusted workspace.
 */
import * as vscode from "vscode";
import { type Logger } from "../../core/logger";
import { pickWorkstream } from "../commands/target";
import { requireTrust } from "../trust";
import { type BundleIndex } from "../workstreams/bundleIndex";
import { type ActiveRun, type RunManager, type RunRequest } from "./runManager";
import { formatEventLine } from "./eventLine";
import { type StoreReader } from "./storeReader";

export interface RunCommandsDeps {
  runs: RunManager;
  index: BundleIndex<vscode.Uri>;
  store: StoreReader;
  log: Logger;
}

export const RUN_COMMANDS = {
  run: "workstreamPipeline.workstream.run",
  dryRun: "workstreamPipeline.workstream.dryRun",
  retry: "workstreamPipeline.workstream.retry",
  runAll: "workstreamPipeline.run.all",
  resume: "workstreamPipeline.run.resume",
  cancel: "workstreamPipeline.run.cancel",
} as const;

function settings() {
  const config = vscode.workspace.getConfiguration("workstreamPipeline");
  return {
    concurrency: Math.max(1, config.get<number>("run.concurrency", 2)),
    continueOnFailure: config.get<boolean>("run.continueOnFailure", false),
    openPanel: config.get<boolean>("run.openEventsPanel", true),
  };
}

/** Shows the run in a cancellable progress notification until it ends. */
function showProgress(runs: RunManager, run: ActiveRun): void {
  void vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Workstream run: ${run.label}`,
      cancellable: true,
    },
    async (progress, token) => {
      token.onCancellationRequested(() => void runs.cancel(run));
      const listener = runs.onDidReceiveEvent(({ run: from, event }) => {
        if (from === run) progress.report({ message: formatEventLine(event).replace(/^\[[^\]]*\]\s*/, "") });
      });
      try {
        await run.done;
      } finally {
        listener.dispose();
      }
    },
  );
}

export function registerRunCommands(context: vscode.ExtensionContext, deps: RunCommandsDeps): void {
  const start = (request: RunRequest): number => {
    const run = deps.runs.start(request);
    run.channel.show(true);
    showProgress(deps.runs, run);
    void run.done.then(() => {
      deps.store.poke();
      if (run.exitCode !== 0 && !run.cancelRequested)
        void vscode.window
          .showWarningMessage(
            `Workstream run ${run.label} ended with exit code ${run.exitCode}.`,
            "Show Output",
          )
          .then((choice) => (choice ? run.channel.show() : undefined));
    });
    if (settings().openPanel)
      void vscode.commands.executeCommand("workstreamPipeline.runEvents.show", { followRunKey: run.key });
    return run.key;
  };

  const runOne = (dryRun: boolean) => async (argument?: unknown) => {
    if (!requireTrust()) return undefined;
    const id = await pickWorkstream(
      argument,
      deps.index,
      dryRun ? "Dry-run which workstream?" : "Run which workstream?",
    );
    if (id === undefined) return undefined;
    return start({
      label: dryRun ? `${id} (dry run)` : id,
      args: ["run", id, ...(dryRun ? ["--dry-run"] : [])],
      wsIds: [id],
    });
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(RUN_COMMANDS.run, runOne(false)),
    vscode.commands.registerCommand(RUN_COMMANDS.dryRun, runOne(true)),
    vscode.commands.registerCommand(RUN_COMMANDS.retry, runOne(false)),
    vscode.commands.registerCommand(RUN_COMMANDS.runAll, () => {
      if (!requireTrust()) return undefined;
      const { concurrency, continueOnFailure } = settings();
      return start({
        label: "all",
        args: ["run", "--all", "-j", String(concurrency), ...(continueOnFailure ? ["--continue"] : [])],
        wsIds: deps.index.bundles().map(({ summary }) => summary.id),
      });
    }),
    vscode.commands.registerCommand(RUN_COMMANDS.resume, async (argument?: unknown) => {
      if (!requireTrust()) return undefined;
      const runId = typeof argument === "string" ? argument : await pickResumableRun(deps.store);
      if (runId === undefined) return undefined;
      return start({
        label: `resume ${runId}`,
        args: ["resume", runId, "-j", String(settings().concurrency)],
        wsIds: [],
      });
    }),
    vscode.commands.registerCommand(RUN_COMMANDS.cancel, async (argument?: unknown) => {
      const target = await pickActiveRun(deps.runs, argument);
      if (target) await deps.runs.cancel(target);
      return target?.key;
    }),
  );
}

/** The active run a Cancel is about: a run key, the run holding the clicked workstream, or a pick. */
async function pickActiveRun(runs: RunManager, argument: unknown): Promise<ActiveRun | undefined> {
  const active = runs.runs();
  if (typeof argument === "number") return active.find((run) => run.key === argument);
  const wsId =
    typeof argument === "string"
      ? argument
      : (argument as { bundle?: { summary?: { id?: string } } } | undefined)?.bundle?.summary?.id;
  if (wsId !== undefined) {
    const holding = active.filter(
      (run) => run.wsIds.includes(wsId) || run.events.some((e) => e.wsId === wsId),
    );
    if (holding.length > 0) return holding[holding.length - 1];
  }
  if (active.length === 0) {
    void vscode.window.showInformationMessage("No workstream run is going.");
    return undefined;
  }
  if (active.length === 1) return active[0];
  const picked = await vscode.window.showQuickPick(
    active.map((run) => ({ label: run.label, description: run.runId ?? "", run })),
    { placeHolder: "Cancel which run?" },
  );
  return picked?.run;
}

/** Runs the store records as not finished, newest first, to pick one to resume. */
async function pickResumableRun(reader: StoreReader): Promise<string | undefined> {
  const store = await reader.get();
  const runs = store ? await store.listRuns({ limit: 50 }) : [];
  const open = runs.filter((run) => run.status === "running" || run.status === "pending");
  const items = (open.length > 0 ? open : runs).map((run) => ({
    label: run.runId,
    description: `${run.status} · ${run.createdAt}`,
  }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage("The state store has no runs to resume.");
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder: "Resume which run?" }))?.label;
}
