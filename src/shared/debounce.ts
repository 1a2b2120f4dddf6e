import { timerDelay } from "../core/timers";

/** A debounced call: `schedule()` runs `action` once, `delayMs` after the last call; `cancel()` drops it. */
export interface Debounced {
  schedule(): void;
  cancel(): void;
}

export function debounce(action: () => void, delayMs: number): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    schedule() {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        action();
      }, timerDelay(delayMs));
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
