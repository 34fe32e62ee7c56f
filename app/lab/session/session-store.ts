// What the sandbox lab's session and each lesson's share: a state React reads through useSyncExternalStore, and the
// database this tab has open for that lab (closed before another is opened, or when the lab goes to another tab).
export class SessionStore<S> {
  private readonly listeners = new Set<() => void>();
  protected db: { close(): void } | null = null;

  constructor(protected state: S) {}

  getState = (): S => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  protected set(state: S) {
    this.state = state;
    for (const l of [...this.listeners]) l();
  }

  protected closeDb() {
    try {
      this.db?.close();
    } catch {
      /* already closed */
    }
    this.db = null;
  }
}
