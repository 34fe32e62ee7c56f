// One tab's hold on a named Web Lock, kept until released, so only one tab at a time writes a lab's database. The
// sandbox lab and each lesson take theirs through this; when another tab steals the lock, onStolen stops this tab.
export type TabLockMode = 'ifAvailable' | 'wait' | 'steal';

export class TabLock {
  private release: (() => void) | null = null;

  /** onStolen: another tab took the lock while this one held it; stop touching the lab at once. */
  constructor(
    private readonly name: string,
    private readonly onStolen: () => void,
  ) {}

  get held(): boolean {
    return this.release !== null;
  }

  /** Takes the lock and keeps it until released; false when another tab has it (ifAvailable). */
  acquire(mode: TabLockMode, signal?: AbortSignal): Promise<boolean> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (!locks) return Promise.resolve(true); // No Web Locks (very old browser): one tab is all we can assume.
    const options: LockOptions = mode === 'ifAvailable' ? { ifAvailable: true } : mode === 'steal' ? { steal: true } : { signal };
    return new Promise<boolean>((resolve, reject) => {
      locks
        .request(this.name, options, (lock) => {
          if (!lock) {
            resolve(false);
            return undefined;
          }
          resolve(true);
          return new Promise<void>((release) => {
            this.release = release;
          });
        })
        .catch((err: unknown) => {
          if (err instanceof DOMException && err.name === 'AbortError' && this.release) {
            this.release = null;
            this.onStolen();
            return;
          }
          reject(err);
        });
    });
  }

  /** Lets go of the lock (after handing the lab over to another tab that asked). */
  releaseNow() {
    this.release?.();
    this.release = null;
  }
}
