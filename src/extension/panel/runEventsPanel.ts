/**
 * The run-events panel: a webview showing one run's timeline, event list and error details. History
 * comes from the store; live events arrive from runs this window started and, for runs started
 * elsewhere, from the store as it changes. Talks to the webview only through the typed protocol.
 */
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import { type Logger } from "../../core/logger";
import { type EventRow } from "../../core/store";
import {
  type HostToPanel,
  type PanelErrorDetail,
  type PanelEvent,
  isPanelToHost,
} from "../../shared/panelProtocol";
import { type RunManager } from "../runs/runManager";
import { type StoreReader } from "../runs/storeReader";

export const RUN_EVENTS_VIEW_TYPE = "workstreamPipeline.runEvents";
/** A run's events the panel loads at once; the webview draws only the rows near the viewport. */
const HISTORY_LIMIT = 100_000;

export interface RunEventsPanelDeps {
  extensionUri: vscode.Uri;
  runs: RunManager;
  store: StoreReader;
  log: Logger;
}

/** What the panel last reported it rendered (for the API and tests). */
export interface PanelRenderState {
  runId: string | null;
  eventCount: number;
  errorCount: number;
}

function toPanelEvent(row: EventRow): PanelEvent {
  return {
    id: row.id,
    ts: row.timestamp,
    type: row.type,
    runId: row.runId,
    wsId: row.wsId,
    payload: row.payload ?? {},
  };
}

class RunEventsPanel implements vscode.Disposable {
  private selectedRunId: string | undefined;
  private followRunKey: number | undefined;
  private readonly seen = new Set<number>();
  private readonly detailed = new Set<string>();
  private ready = false;
  private readonly subscriptions: vscode.Disposable[] = [];
  rendered: PanelRenderState | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: RunEventsPanelDeps,
    private readonly onDispose: () => void,
  ) {
    panel.webview.html = this.html();
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
      deps.runs.onDidReceiveEvent(({ run, event }) => {
        if (this.followRunKey === run.key && event.runId && event.runId !== this.selectedRunId)
          void this.select(event.runId);
        else if (event.runId === this.selectedRunId) this.push([event]);
      }),
      deps.store.onDidChange(() => void this.catchUp()),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Follows a run started in this window: the panel switches to it once its run id is known. */
  follow(runKey: number | undefined, runId?: string): void {
    this.followRunKey = runKey;
    const known =
      runKey === undefined ? undefined : this.deps.runs.history().find((run) => run.key === runKey);
    const target = runId ?? known?.runId;
    if (target) void this.select(target);
  }

  private post(message: HostToPanel): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private async receive(message: unknown): Promise<void> {
    if (!isPanelToHost(message)) return;
    switch (message.type) {
      case "ready": {
        this.ready = true;
        const runs = await this.listRuns();
        this.selectedRunId ??= runs[0]?.runId;
        this.post({ type: "init", runs, selectedRunId: this.selectedRunId });
        if (this.selectedRunId) await this.select(this.selectedRunId, true);
        break;
      }
      case "selectRun":
        this.followRunKey = undefined;
        await this.select(message.runId);
        break;
      case "requestErrorDetail":
        await this.sendErrorDetail(message.runId, message.wsId, message.attemptId);
        break;
      case "rendered":
        this.rendered = {
          runId: message.runId,
          eventCount: message.eventCount,
          errorCount: message.errorCount,
        };
        break;
    }
  }

  private async listRuns() {
    const store = await this.deps.store.get();
    const rows = store ? await store.listRuns({ limit: 50 }) : [];
    return rows.map((run) => ({ runId: run.runId, status: run.status, createdAt: run.createdAt }));
  }

  /** Shows a run: its history from the store, then live events as they land. */
  private async select(runId: string, force = false): Promise<void> {
    if (runId === this.selectedRunId && !force && this.seen.size > 0) return;
    this.selectedRunId = runId;
    this.seen.clear();
    this.detailed.clear();
    if (!this.ready) return;
    this.post({ type: "runs", runs: await this.listRuns(), selectedRunId: runId });
    const store = await this.deps.store.get();
    const history = store
      ? (await store.eventsAfter(0, { runId, limit: HISTORY_LIMIT })).map(toPanelEvent)
      : [];
    const live = this.deps.runs
      .history()
      .flatMap((run) => run.events.filter((event) => event.runId === runId));
    const merged = new Map<number, PanelEvent>();
    for (const event of [...history, ...live]) merged.set(event.id, event);
    const events = [...merged.values()].sort((a, b) => a.id - b.id);
    for (const event of events) this.seen.add(event.id);
    this.post({ type: "events", runId, events, replace: true });
    for (const event of events) this.detailFor(event);
  }

  private push(events: PanelEvent[]): void {
    const fresh = events.filter((event) => !this.seen.has(event.id));
    if (fresh.length === 0 || !this.selectedRunId) return;
    for (const event of fresh) this.seen.add(event.id);
    this.post({ type: "events", runId: this.selectedRunId, events: fresh, replace: false });
    for (const event of fresh) this.detailFor(event);
    // The run picker shows each run's status: refresh it when the run's status moves.
    if (fresh.some((event) => event.type === "run_status_changed" || event.type === "run_end"))
      void this.listRuns().then((runs) =>
        this.post({ type: "runs", runs, selectedRunId: this.selectedRunId }),
      );
  }

  /** Events of runs started elsewhere (another window, a terminal) reach the panel through the store. */
  private async catchUp(): Promise<void> {
    if (!this.selectedRunId || !this.ready) return;
    const store = await this.deps.store.get();
    if (!store) return;
    const after = Math.max(0, ...this.seen);
    this.push(
      (await store.eventsAfter(after, { runId: this.selectedRunId, limit: HISTORY_LIMIT })).map(toPanelEvent),
    );
  }

  /** A failed step brings its failing command and output excerpt (kept in the store's step attempt). */
  private detailFor(event: PanelEvent): void {
    if (event.type !== "step_end" || event.payload.success !== false || !event.runId || !event.wsId) return;
    const attemptId = event.payload.attempt_id;
    if (typeof attemptId === "number") void this.sendErrorDetail(event.runId, event.wsId, attemptId);
  }

  private async sendErrorDetail(runId: string, wsId: string, attemptId: number): Promise<void> {
    const key = `${runId}:${wsId}:${attemptId}`;
    if (this.detailed.has(key)) return;
    this.detailed.add(key);
    const store = await this.deps.store.get();
    if (!store) return;
    try {
      const attempt = (await store.listStepAttempts(runId, wsId)).find((row) => row.id === attemptId);
      if (!attempt) return;
      const result = attempt.result ?? {};
      const tools = Array.isArray(result.tools)
        ? result.tools
        : result.tool_result
          ? [result.tool_result]
          : [];
      const failed = tools.find(
        (tool) => typeof tool === "object" && tool !== null && !Array.isArray(tool) && tool.success === false,
      ) as Record<string, unknown> | undefined;
      const detail: PanelErrorDetail = {
        runId,
        wsId,
        step: attempt.step,
        attemptId,
        command: typeof failed?.command_line === "string" ? failed.command_line : undefined,
        exitCode: typeof failed?.exit_code === "number" ? failed.exit_code : null,
        output: typeof result.output_excerpt === "string" ? result.output_excerpt : "",
      };
      this.post({ type: "errorDetail", detail });
    } catch (error) {
      this.deps.log.warn(`reading step attempt ${attemptId} failed: ${String(error)}`);
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString("base64");
    const asset = (name: string) =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, "dist", "webview", name));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join("; ");
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset("panel.css").toString()}">
<title>Run Events</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${nonce}" src="${asset("main.js").toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.panel.dispose();
    this.onDispose();
  }
}

/** Registers the panel's command; returns a probe of what it last rendered. */
export function registerRunEventsPanel(
  context: vscode.ExtensionContext,
  deps: RunEventsPanelDeps,
): { rendered(): PanelRenderState | undefined } {
  let current: RunEventsPanel | undefined;
  const show = (options?: { followRunKey?: number; runId?: string }) => {
    if (!current) {
      const panel = vscode.window.createWebviewPanel(
        RUN_EVENTS_VIEW_TYPE,
        "Workstream Run Events",
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        {
          enableScripts: true,
          retainContextWhenHidden: true,
          localResourceRoots: [vscode.Uri.joinPath(deps.extensionUri, "dist", "webview")],
        },
      );
      current = new RunEventsPanel(panel, deps, () => (current = undefined));
    } else current.panel.reveal(undefined, true);
    if (options?.followRunKey !== undefined || options?.runId !== undefined)
      current.follow(options.followRunKey, options.runId);
  };
  context.subscriptions.push(vscode.commands.registerCommand("workstreamPipeline.runEvents.show", show), {
    dispose: () => current?.dispose(),
  });
  return { rendered: () => current?.rendered };
}
