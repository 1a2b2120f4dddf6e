/** What every bench shares: its numeric options, and the median it reports (the upper one of an even count). */

/** `--name N` among the bench's arguments, else `fallback`. */
export function option(args: readonly string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
