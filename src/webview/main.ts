/**
 * The run-events panel's script; it runs inside the webview, not the extension host. Everything it
 * shows comes from messages and is written with textContent: tool output is untrusted text.
 */
import {
  type HostToPanel,
  type PanelErrorDetail,
  type PanelEvent,
  type PanelToHost,
  type RunSummary,
  isHostToPanel,
} from "../shared/panelProtocol";
import { EVENT_FILTERS, type EventFilterKind, buildTimeline, filterKindOf } from "../shared/timeline";
import { EventList } from "./eventList";
import { summary } from "./eventSummary";

interface VsCodeApi {
  postMessage(message: PanelToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

const state = {
  runs: [] as RunSummary[],
  runId: undefined as string | undefined,
  events: [] as PanelEvent[],
  errors: new Map<string, PanelErrorDetail>(),
  filters: new Set<EventFilterKind>(EVENT_FILTERS),
  wsFilter: "",
};

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

function renderHeader(root: HTMLElement): void {
  const header = el("header", "toolbar");
  const label = el("label", undefined, "Run ");
  const select = el("select");
  select.id = "run-select";
  for (const run of state.runs) {
    const option = el("option", undefined, `${run.runId} · ${run.status}`);
    option.value = run.runId;
    option.selected = run.runId === state.runId;
    select.append(option);
  }
  if (state.runId && !state.runs.some((run) => run.runId === state.runId)) {
    const option = el("option", undefined, state.runId);
    option.value = state.runId;
    option.selected = true;
    select.append(option);
  }
  select.addEventListener("change", () => vscode.postMessage({ type: "selectRun", runId: select.value }));
  label.append(select);
  header.append(label);
  root.append(header);
}

/** Whether the last timeline had a step still running (its bar grows with the clock). */
let stepsRunning = false;

function renderTimeline(root: HTMLElement): void {
  const timeline = buildTimeline(state.events, Date.now());
  stepsRunning = timeline.bars.some((bar) => bar.end === undefined);
  const section = el("section", "timeline");
  section.append(el("h2", undefined, "Timeline"));
  const span = timeline.end - timeline.start;
  const pct = (at: number) => `${(((at - timeline.start) / span) * 100).toFixed(3)}%`;
  for (const wsId of timeline.lanes) {
    const lane = el("div", "lane");
    lane.dataset.ws = wsId;
    const usage = timeline.usage.get(wsId);
    const name = el("div", "lane-name", wsId);
    const status = timeline.status.get(wsId);
    if (status) name.append(el("span", `status status-${status}`, status));
    const sandbox = timeline.sandbox.get(wsId);
    if (sandbox !== undefined) {
      const contained = sandbox.startsWith("bubblewrap");
      const badge = el(
        "span",
        `sandbox ${contained ? "on" : "off"}`,
        contained ? "sandboxed" : "not sandboxed",
      );
      badge.title = `sandbox: ${sandbox}`;
      name.append(badge);
    }
    if (usage?.tokens !== undefined || usage?.costUsd !== undefined) {
      const parts = [
        usage.tokens !== undefined ? `${usage.tokens} tokens` : "",
        usage.costUsd !== undefined ? `$${usage.costUsd.toFixed(4)}` : "",
      ].filter(Boolean);
      name.append(el("span", "usage", parts.join(" · ")));
    }
    const track = el("div", "track");
    for (const bar of timeline.bars.filter((b) => b.wsId === wsId)) {
      const end = bar.end ?? timeline.end;
      const element = el(
        "div",
        `bar step-${bar.step} ${bar.end === undefined ? "running" : bar.success ? "ok" : "failed"}`,
        bar.label,
      );
      element.style.left = pct(bar.start);
      element.style.width = `max(2px, ${pct(timeline.start + (end - bar.start))})`;
      element.title = `${bar.label}: ${((end - bar.start) / 1000).toFixed(2)} s${bar.end === undefined ? " (running)" : bar.success ? "" : " (failed)"}`;
      track.append(element);
    }
    for (const marker of timeline.markers.filter((m) => m.wsId === wsId)) {
      const glyph = { breaker_trip: "⚡", scope_violation: "⛔", tamper: "☠", sandbox_denied: "🛡" }[
        marker.kind
      ];
      const element = el("div", `marker ${marker.kind}`, glyph);
      element.style.left = pct(marker.at);
      element.title = marker.text;
      track.append(element);
    }
    lane.append(name, track);
    section.append(lane);
  }
  if (timeline.lanes.length === 0) section.append(el("p", "empty", "No workstream events yet."));
  root.append(section);
}

function renderFilters(root: HTMLElement): void {
  const bar = el("div", "filters");
  bar.append(el("span", undefined, "Show: "));
  for (const kind of EVENT_FILTERS) {
    const label = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.checked = state.filters.has(kind);
    box.dataset.filter = kind;
    box.addEventListener("change", () => {
      if (box.checked) state.filters.add(kind);
      else state.filters.delete(kind);
      render();
    });
    label.append(box, document.createTextNode(` ${kind} `));
    bar.append(label);
  }
  const select = el("select");
  select.id = "ws-filter";
  const wsIds = [...new Set(state.events.flatMap((event) => (event.wsId ? [event.wsId] : [])))].sort();
  for (const id of ["", ...wsIds]) {
    const option = el("option", undefined, id === "" ? "all workstreams" : id);
    option.value = id;
    option.selected = id === state.wsFilter;
    select.append(option);
  }
  select.addEventListener("change", () => {
    state.wsFilter = select.value;
    render();
  });
  bar.append(select);
  root.append(bar);
}

function renderErrors(root: HTMLElement): void {
  if (state.errors.size === 0) return;
  const section = el("section", "errors");
  section.append(el("h2", undefined, "Errors"));
  for (const detail of state.errors.values()) {
    const item = el("details", "error");
    item.open = true;
    item.append(
      el(
        "summary",
        undefined,
        `${detail.wsId} · ${detail.step.toUpperCase()} (attempt ${detail.attemptId}) failed`,
      ),
    );
    if (detail.command)
      item.append(
        el(
          "div",
          "command",
          `${detail.command}${detail.exitCode === null || detail.exitCode === undefined ? "" : ` → exit ${detail.exitCode}`}`,
        ),
      );
    item.append(el("pre", "output", detail.output || "(no output)"));
    section.append(item);
  }
  root.append(section);
}

const eventList = new EventList(summary);
const eventsSection = el("section", "events");
eventsSection.append(el("h2", undefined, "Events"), eventList.element);
/** Set when a run's events replace the list: the time from their arrival to the first paint of rows. */
let arrivedAt: number | undefined;

function renderEvents(): number {
  const shown = state.events.filter(
    (event) =>
      state.filters.has(filterKindOf(event.type)) && (state.wsFilter === "" || event.wsId === state.wsFilter),
  );
  eventList.show(shown, JSON.stringify([state.runId, [...state.filters], state.wsFilter]));
  return shown.length;
}

/** Everything above the event list is small and drawn anew; the list itself is kept and extended. */
function render(): void {
  const app = document.getElementById("app");
  if (!app) return;
  const top = el("div", "top");
  renderHeader(top);
  renderTimeline(top);
  renderErrors(top);
  renderFilters(top);
  const shown = renderEvents();
  app.replaceChildren(top, eventsSection);
  document.body.dataset.eventCount = String(shown);
  document.body.dataset.drawnRows = String(eventList.drawnRows());
  if (arrivedAt !== undefined) {
    const since = arrivedAt;
    arrivedAt = undefined;
    // The frame after this one has painted what render() built.
    requestAnimationFrame(() =>
      setTimeout(() => (document.body.dataset.paintMs = (performance.now() - since).toFixed(1))),
    );
  }
  vscode.postMessage({
    type: "rendered",
    runId: state.runId ?? null,
    eventCount: state.events.length,
    errorCount: state.errors.size,
  });
}

let frame: number | undefined;
function scheduleRender(): void {
  if (frame !== undefined) return;
  frame = requestAnimationFrame(() => {
    frame = undefined;
    render();
  });
}

function receive(message: HostToPanel): void {
  switch (message.type) {
    case "init":
    case "runs":
      state.runs = message.runs;
      if (message.selectedRunId !== undefined && message.selectedRunId !== state.runId) {
        state.runId = message.selectedRunId;
        state.events = [];
        state.errors.clear();
      }
      break;
    case "events":
      if (message.replace) arrivedAt = performance.now();
      if (message.runId !== state.runId || message.replace) {
        state.runId = message.runId;
        state.errors.clear();
        state.events = [];
      }
      state.events.push(...message.events);
      break;
    case "errorDetail":
      if (message.detail.runId === state.runId)
        state.errors.set(`${message.detail.wsId}:${message.detail.attemptId}`, message.detail);
      break;
  }
  scheduleRender();
}

window.addEventListener("message", (event: MessageEvent<unknown>) => {
  if (isHostToPanel(event.data)) receive(event.data);
});
// While steps run, their bars grow with the clock.
setInterval(() => {
  if (stepsRunning) scheduleRender();
}, 1000);
render();
vscode.postMessage({ type: "ready" });
