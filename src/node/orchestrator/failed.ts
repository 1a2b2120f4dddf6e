/** How a workstream's pipeline stops early: the status it ends in and the reason it records. */
export class Failed extends Error {
  constructor(
    readonly status: "failed" | "cancelled",
    message: string,
  ) {
    super(message);
  }
}

/** Stops the workstream as cancelled once its run is aborted. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new Failed("cancelled", "cancelled");
}
