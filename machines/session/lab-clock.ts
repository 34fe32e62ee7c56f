// The lab's clock: the time every actor of a lab sees, given to XState as its `clock`, and fast-forwardable.
//
// Lab time is counted in ms since the lab started. Timers are kept here (not only in the host's timer queue) so that
// `advance` can fire everything that falls due during a jump, in deadline order, exactly as waiting would have.

export interface LabClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  /** Fast-forward: moves lab time on by `ms` and fires, in order, every timer that falls due. */
  advance(ms: number): void;
}

interface Timer {
  id: number;
  deadline: number;
  fn: () => void;
  /** The real timer that fires it when lab time reaches the deadline by itself (real-time clock only). */
  handle?: ReturnType<typeof globalThis.setTimeout>;
}

class TimerQueue {
  private readonly timers = new Map<number, Timer>();
  private nextId = 1;

  add(deadline: number, fn: () => void): Timer {
    const timer: Timer = { id: this.nextId++, deadline, fn };
    this.timers.set(timer.id, timer);
    return timer;
  }

  remove(id: unknown): Timer | undefined {
    if (typeof id !== 'number') return undefined;
    const timer = this.timers.get(id);
    this.timers.delete(id);
    return timer;
  }

  all(): Timer[] {
    return [...this.timers.values()];
  }

  /** The earliest timer due at `now` (ties: the one set first), taken out of the queue. */
  takeNextDue(now: number): Timer | undefined {
    let next: Timer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.deadline <= now && (!next || timer.deadline < next.deadline)) next = timer;
    }
    if (next) this.timers.delete(next.id);
    return next;
  }
}

function checkMs(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Cannot advance the lab clock by ${ms} ms.`);
  return ms;
}

/** For tests: time moves only when `advance` is called. Fits XState's `clock` option. */
export function createManualClock(start = 0): LabClock {
  let now = start;
  const queue = new TimerQueue();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      return queue.add(now + Math.max(0, ms), fn).id;
    },
    clearTimeout(id) {
      queue.remove(id);
    },
    advance(ms) {
      const target = now + checkMs(ms);
      // Fire in deadline order, with `now` at each timer's deadline, so a timer set by a firing timer is honoured too.
      for (;;) {
        const timer = queue.takeNextDue(target);
        if (!timer) break;
        now = Math.max(now, timer.deadline);
        timer.fn();
      }
      now = target;
    },
  };
}

/** Lab time follows real time from `start`, plus every fast-forward. */
export function createRealTimeClock(start = 0): LabClock {
  const realStart = Date.now();
  let skipped = 0;
  const queue = new TimerQueue();
  const now = () => start + (Date.now() - realStart) + skipped;

  const arm = (timer: Timer) => {
    if (timer.handle !== undefined) globalThis.clearTimeout(timer.handle);
    timer.handle = globalThis.setTimeout(() => {
      if (!queue.remove(timer.id)) return;
      timer.fn();
    }, Math.max(0, timer.deadline - now()));
  };

  return {
    now,
    setTimeout(fn, ms) {
      const timer = queue.add(now() + Math.max(0, ms), fn);
      arm(timer);
      return timer.id;
    },
    clearTimeout(id) {
      const timer = queue.remove(id);
      if (timer?.handle !== undefined) globalThis.clearTimeout(timer.handle);
    },
    advance(ms) {
      const target = now() + checkMs(ms);
      for (;;) {
        const timer = queue.takeNextDue(target);
        if (!timer) break;
        if (timer.handle !== undefined) globalThis.clearTimeout(timer.handle);
        timer.fn();
      }
      skipped += target - now();
      // The jump moved every remaining deadline closer in real time.
      for (const timer of queue.all()) arm(timer);
    },
  };
}
