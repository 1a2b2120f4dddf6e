/** Something to release: the same shape as `vscode.Disposable`, usable where `vscode` is not loaded. */
export interface DisposableLike {
  dispose(): void;
}

/** A minimal event emitter with VS Code's `event(listener) → disposable` shape. */
export class Emitter<T> implements DisposableLike {
  private listeners = new Set<(value: T) => void>();

  readonly event = (listener: (value: T) => void): DisposableLike => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
