/**
 * Runs started from this window: each spawns the bundled CLI with `--events ndjson`, gets its own
 * output channel streaming the events and the tools' output live, and feeds the live statuses the
 * tree shows. The orchestrator itself stays in the CLI.
 */
import * as vscode from "vscode";
import { type Logger } from "../../core/logger";
import { type PanelEvent } from "../../shared/panelProtocol";
import { type CliProcess, spawnCli } from "./cliProcess";
import { formatEventLine, parseEventLine } from "./eventLine";

export interface RunRequest {
  /** Shown in the channel name and the progress notification, e.g. "ws-stock-core" or "all". */
  label: string;
  /** CLI arguments after the script (the manager adds `--events ndjson --verbose`). */
  args: string[];
  /** Workstreams the run is about (for the tree's live icons before the first event). */
  wsIds: string[];
}

/** One run started from this window. */
export interface ActiveRun {
  readonly key: number;
  readonly label: string;
  readonly wsIds: string[];
  readonly channel: vscode.OutputChannel;
  readonly process: CliProcess;
  readonly events: PanelEvent[];
  /** Everything written to the channel, for tests and the API. */
  readonly transcript: string[];
  runId?: string;
  exitCode?: number | null;
  cancelRequested: boolean;
  readonly done: Promise<void>;
}

export class RunManager implements vscode.Disposable {
  private nextKey = 1;
  private readonly active = new Map<number, ActiveRun>();
  private readonly finished: ActiveRun[] = [];
  private readonly live = new Map<string, string>();
  /** Workstreams whose run ended: their live status stays until the store has been read again. */
  private readonly settled = new Set<string>();
  private readonly liveChanged = new vscode.EventEmitter<void>();
  private readonly eventEmitter = new vscode.EventEmitter<{ run: ActiveRun; event: PanelEvent }>();
  private readonly runsChanged = new vscode.EventEmitter<void>();
  /** A workstream's live status changed. */
  readonly onDidChangeLive = this.liveChanged.event;
  /** An event arrived from a run's CLI. */
  readonly onDidReceiveEvent = this.eventEmitter.event;
  /** A run started or ended. */
  readonly onDidChangeRuns = this.runsChanged.event;

  constructor(
    private readonly extensionPath: string,
    private readonly root: string,
    private readonly log: Logger,
  ) {}

  /** Live status of a workstream in a run this window is watching, if any. */
  liveStatus(wsId: string): string | undefined {
    return this.live.get(wsId);
  }

  /** Drops the live status of workstreams whose runs ended (the caller has just read the store). */
  forgetSettled(): void {
    const going = new Set(this.runs().flatMap((run) => run.wsIds));
    for (const wsId of this.settled) if (!going.has(wsId)) this.live.delete(wsId);
    this.settled.clear();
  }

  runs(): ActiveRun[] {
    return [...this.active.values()];
  }

  /** Runs of this session, oldest first (finished and going). */
  history(): ActiveRun[] {
    return [...this.finished, ...this.active.values()].sort((a, b) => a.key - b.key);
  }

  /** Starts the CLI; the returned run's `done` settles once it has exited. */
  start(request: RunRequest): ActiveRun {
    const key = this.nextKey++;
    const stamp = new Date().toISOString().slice(11, 19);
    const channel = vscode.window.createOutputChannel(`Workstream Run ${key}: ${request.label} (${stamp})`);
    const transcript: string[] = [];
    const write = (text: string) => {
      transcript.push(text);
      channel.append(text);
    };
    const events: PanelEvent[] = [];
    const args = [...request.args, "--events", "ndjson", "--verbose"];
    write(`$ wsp ${args.join(" ")}\n`);
    const process = spawnCli({
      extensionPath: this.extensionPath,
      cwd: this.root,
      args,
      onStdoutLine: (line) => {
        const run = this.active.get(key);
        const event = parseEventLine(line);
        if (!event || !run) {
          write(`${line}\n`);
          return;
        }
        events.push(event);
        run.runId ??= event.runId ?? undefined;
        write(`${formatEventLine(event)}\n`);
        this.applyLive(event);
        this.eventEmitter.fire({ run, event });
      },
      onStderr: (text) => write(text),
    });
    for (const wsId of request.wsIds) {
      this.live.set(wsId, "pending");
      this.settled.delete(wsId);
    }
    this.liveChanged.fire();
    const done = process.exited.then(({ code, signal }) => {
      run.exitCode = code;
      write(`\n[wsp exited with ${signal ?? `code ${code}`}${run.cancelRequested ? ", cancelled" : ""}]\n`);
      this.active.delete(key);
      this.finished.push(run);
      // The store now holds the outcome; live statuses give way to it once it has been read.
      for (const wsId of [...request.wsIds, ...events.flatMap((e) => (e.wsId ? [e.wsId] : []))])
        this.settled.add(wsId);
      this.runsChanged.fire();
    });
    const run: ActiveRun = {
      key,
      label: request.label,
      wsIds: request.wsIds,
      channel,
      process,
      events,
      transcript,
      cancelRequested: false,
      done,
    };
    this.active.set(key, run);
    this.log.info(`run ${key} started: wsp ${args.join(" ")} (pid ${process.child.pid ?? "?"})`);
    this.runsChanged.fire();
    return run;
  }

  /** Stops a run's whole process tree (the CLI records it cancelled on SIGTERM). */
  async cancel(run: ActiveRun): Promise<void> {
    if (run.cancelRequested) return run.done;
    run.cancelRequested = true;
    run.channel.appendLine("[cancelling: SIGTERM to the run's processes]");
    await run.process.stop();
    await run.done;
  }

  private applyLive(event: PanelEvent): void {
    if (!event.wsId) return;
    const to =
      event.type === "status_changed"
        ? event.payload.to
        : event.type === "workstream_end"
          ? event.payload.final_status
          : undefined;
    if (typeof to !== "string") return;
    this.live.set(event.wsId, to);
    this.liveChanged.fire();
  }

  dispose(): void {
    for (const run of this.active.values()) void run.process.stop();
    for (const run of this.history()) run.channel.dispose();
    this.liveChanged.dispose();
    this.eventEmitter.dispose();
    this.runsChanged.dispose();
  }
}
