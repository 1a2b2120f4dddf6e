/**
 * Collects items in one reused array and hands them out copied at their exact length. A list
 * grown from empty takes V8's default capacity of 16, and emptying one by setting its length
 * frees its store, so both cost more than this for the short lists validation makes by the
 * thousand. Slots past the count keep their old items until overwritten; they are only references.
 */
export class ExactList<T> {
  private readonly items: T[] = [];
  private count = 0;

  clear(): void {
    this.count = 0;
  }

  push(item: T): void {
    this.items[this.count++] = item;
  }

  /** The items pushed since the last clear or take, as a new array; the list is then empty. */
  take(): T[] {
    const taken = this.items.slice(0, this.count);
    this.count = 0;
    return taken;
  }
}
