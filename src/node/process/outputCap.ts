/** Keeps the head and the tail of a stream that may be far too long to hold whole. */
export class CappedOutput {
  private head = "";
  private tail = "";
  private dropped = 0;

  constructor(
    private readonly headChars: number,
    private readonly tailChars: number,
  ) {}

  push(chunk: string): void {
    if (this.head.length < this.headChars) {
      const room = this.headChars - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    if (chunk === "") return;
    this.tail += chunk;
    if (this.tail.length > this.tailChars) {
      this.dropped += this.tail.length - this.tailChars;
      this.tail = this.tail.slice(this.tail.length - this.tailChars);
    }
  }

  /** Characters dropped from the middle. */
  get droppedChars(): number {
    return this.dropped;
  }

  toString(): string {
    if (this.dropped === 0) return this.head + this.tail;
    return `${this.head}\n[... ${this.dropped} characters omitted ...]\n${this.tail}`;
  }
}
