// What the sandbox's session and each lesson's share: the lab runs only while its page is shown. start() opens it when
// its page mounts, close() when the learner leaves it client-side (home, a lesson) saves it, stops its lab and timers,
// closes its database and lets go of its Web Lock. Both go through one queue with the session's other work, so
// leaving while the lab opens closes what it opened, and coming straight back before the close's turn keeps it open.
import { SessionStore } from './session-store';
import type { TabLock } from './tab-lock';

export abstract class ShownSession<S extends { status: string }> extends SessionStore<S> {
  /** The lab's page is on screen (between start and close). */
  protected shown = false;
  private queue: Promise<void> = Promise.resolve();
  /** This lab's cross-tab lock, let go on close. */
  protected abstract readonly lock: TabLock;

  constructor(
    private readonly idle: S,
    /** What failed, for the console: "the lesson session", "the lab session". */
    private readonly what: string,
  ) {
    super(idle);
  }

  protected enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task).catch((err: unknown) => console.error(`keylab: ${this.what} failed`, err));
    return this.queue;
  }

  /** The lab's page is shown: open the lab where the learner left it, unless it is open already. */
  start() {
    this.shown = true;
    void this.enqueue(async () => {
      if (this.shown && this.state.status === 'idle') await this.openHere();
    });
  }

  /** The learner left the lab's page without leaving the tab: nothing runs behind their back; start() opens it again. */
  close() {
    this.shown = false;
    void this.enqueue(async () => {
      if (this.shown) return; // Back before the close's turn came: it stays open.
      await this.stopRunning(this.state, true);
      this.set(this.idle);
      this.lock.releaseNow();
    });
  }

  /** Opens the lab in this tab unless another tab has it (then the session says so). */
  protected abstract openHere(): Promise<void>;

  /** Stops the lab `current` runs, if any (saved first when `save`); closes its database. */
  protected abstract stopRunning(current: S, save: boolean): Promise<void>;
}
