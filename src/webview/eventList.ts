/**
 * The panel's event list, virtualised by blocks: events are cut into blocks of BLOCK_SIZE rows, and
 * only blocks near the viewport hold rows; the others are empty boxes of their last measured (or
 * estimated) height. Rows keep their natural, wrapped height, so long details wrap at word
 * boundaries and a 100,000-event run still paints its first screen from a few hundred elements.
 */
import { type PanelEvent } from "../shared/panelProtocol";
import { filterKindOf } from "../shared/timeline";

const BLOCK_SIZE = 100;
/** A guess for a block never drawn yet: one line per row, refined once it is measured. */
const ESTIMATED_ROW_PX = 22;
/** Rows are drawn this far ahead of the viewport, so scrolling seldom meets an empty box. */
const AHEAD = "800px 0px";

interface Block {
  element: HTMLElement;
  start: number;
  end: number;
  filled: boolean;
}

export class EventList {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private events: readonly PanelEvent[] = [];
  private blocks: Block[] = [];
  private readonly blockOf = new WeakMap<Element, Block>();
  private readonly observer: IntersectionObserver;
  /** Measured block heights, valid until the list's width changes (wrapping then changes). */
  private readonly heights = new Map<number, number>();
  private width = 0;
  /** What the shown list is of (run and filters): a new key always starts over. */
  private key = "";

  constructor(private readonly summary: (event: PanelEvent) => string) {
    this.element = document.createElement("div");
    this.element.className = "event-list";
    this.element.setAttribute("role", "table");
    const head = document.createElement("div");
    head.className = "event-head";
    head.setAttribute("role", "row");
    for (const title of ["time", "workstream", "type", "details"]) {
      const cell = document.createElement("span");
      cell.setAttribute("role", "columnheader");
      cell.textContent = title;
      head.append(cell);
    }
    this.body = document.createElement("div");
    this.body.className = "event-body";
    this.element.append(head, this.body);
    this.observer = new IntersectionObserver((entries) => this.onVisibility(entries), { rootMargin: AHEAD });
    new ResizeObserver(([entry]) => {
      const width = Math.round(entry?.contentRect.width ?? 0);
      if (width !== this.width) {
        this.width = width;
        this.heights.clear();
      }
    }).observe(this.element);
  }

  /**
   * Shows `events` (the list `key` names). When they only extend what is shown, the new rows are added and nothing drawn
   * is touched (the reader's scroll position and selection stay); otherwise the list starts over.
   */
  show(events: readonly PanelEvent[], key: string): void {
    const extends_ =
      key === this.key &&
      events.length >= this.events.length &&
      this.events.length > 0 &&
      events[this.events.length - 1] === this.events[this.events.length - 1] &&
      events[0] === this.events[0];
    if (!extends_) this.reset();
    this.key = key;
    const from = extends_ ? this.events.length : 0;
    this.events = events;
    let index = from;
    const last = this.blocks.at(-1);
    if (last && last.end - last.start < BLOCK_SIZE && index < events.length) {
      const end = Math.min(events.length, last.start + BLOCK_SIZE);
      if (last.filled) last.element.append(...this.rows(index, end));
      else last.element.style.height = `${(end - last.start) * ESTIMATED_ROW_PX}px`;
      last.end = end;
      index = end;
    }
    for (; index < events.length; index += BLOCK_SIZE)
      this.addBlock(index, Math.min(events.length, index + BLOCK_SIZE));
    // The first screen is drawn now, not on the observer's next callback: the first paint shows rows.
    if (!extends_) for (const block of this.blocks.slice(0, 2)) this.fill(block);
  }

  private reset(): void {
    this.observer.disconnect();
    this.blocks = [];
    this.heights.clear();
    this.body.replaceChildren();
  }

  private addBlock(start: number, end: number): void {
    const element = document.createElement("div");
    element.className = "event-block";
    element.style.height = `${this.heights.get(start) ?? (end - start) * ESTIMATED_ROW_PX}px`;
    const block: Block = { element, start, end, filled: false };
    this.blocks.push(block);
    this.blockOf.set(element, block);
    this.body.append(element);
    this.observer.observe(element);
  }

  private rows(start: number, end: number): HTMLElement[] {
    const rows: HTMLElement[] = [];
    for (let index = start; index < end; index++) {
      const event = this.events[index];
      const row = document.createElement("div");
      row.className = `event kind-${filterKindOf(event.type)}`;
      row.setAttribute("role", "row");
      row.dataset.type = event.type;
      row.append(
        cell("time", event.ts.slice(11, 23)),
        cell("ws", event.wsId ?? ""),
        cell("type", event.type),
        cell("details", this.summary(event)),
      );
      rows.push(row);
    }
    return rows;
  }

  private fill(block: Block): void {
    if (block.filled) return;
    block.filled = true;
    block.element.replaceChildren(...this.rows(block.start, block.end));
    block.element.style.height = "";
  }

  private empty(block: Block): void {
    if (!block.filled) return;
    const height = block.element.offsetHeight;
    this.heights.set(block.start, height);
    block.filled = false;
    block.element.style.height = `${height}px`;
    block.element.replaceChildren();
  }

  private onVisibility(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const block = this.blockOf.get(entry.target);
      if (!block) continue;
      if (entry.isIntersecting) this.fill(block);
      else this.empty(block);
    }
  }

  /** How many rows hold elements now (the rest are empty boxes). */
  drawnRows(): number {
    return this.blocks.reduce((sum, block) => sum + (block.filled ? block.end - block.start : 0), 0);
  }
}

function cell(className: string, text: string): HTMLElement {
  const element = document.createElement("span");
  element.className = className;
  element.setAttribute("role", "cell");
  element.textContent = text;
  return element;
}
