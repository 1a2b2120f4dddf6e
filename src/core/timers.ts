/**
 * Node's timers hold a signed 32-bit count of milliseconds: a longer delay (about 24.8 days) is
 * replaced by 1 ms with a TimeoutOverflowWarning, so a generous budget would fire at once.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** `ms` as a delay every timer accepts: at most MAX_TIMER_MS, at least 0; not a number waits the longest. */
export function timerDelay(ms: number): number {
  if (Number.isNaN(ms)) return MAX_TIMER_MS;
  return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}
