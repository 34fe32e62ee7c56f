// The page's long tasks (over 50 ms on the main thread, PerformanceObserver 'longtask') told apart by the phase they
// fell in, so the benchmark shows which of its own work stalls the page and which is the ceilings' (raw loops that run
// on the page's thread by design). Where the browser reports no long tasks (Node, the tests), nothing is recorded.

export interface LongTaskFigure {
  phase: string;
  count: number;
  totalMs: number;
  worstMs: number;
}

export class LongTaskRecorder {
  private readonly tasks: { start: number; duration: number }[] = [];
  private readonly windows: { phase: string; start: number; end: number }[] = [];
  private readonly observer: PerformanceObserver | null = null;

  constructor() {
    if (typeof PerformanceObserver === 'undefined' || !PerformanceObserver.supportedEntryTypes?.includes('longtask')) return;
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.tasks.push({ start: entry.startTime, duration: entry.duration });
    });
    this.observer.observe({ type: 'longtask' });
  }

  /** Marks the span of a phase (every round's run of it counts toward the same phase). */
  phase(phase: string, start: number, end: number): void {
    this.windows.push({ phase, start, end });
  }

  /**
   * Per phase with at least one long task, in the order the phases first ran, then those outside every phase (the
   * rig's untimed filling and deleting); then stops observing.
   */
  async figures(): Promise<LongTaskFigure[]> {
    if (!this.observer) return [];
    // Entries arrive after the task ends: give the last one a moment to be delivered.
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const entry of this.observer.takeRecords()) this.tasks.push({ start: entry.startTime, duration: entry.duration });
    this.observer.disconnect();
    const byPhase = new Map<string, LongTaskFigure>();
    for (const { phase } of this.windows) if (!byPhase.has(phase)) byPhase.set(phase, { phase, count: 0, totalMs: 0, worstMs: 0 });
    const untimed: LongTaskFigure = { phase: 'the untimed setup and clean-up', count: 0, totalMs: 0, worstMs: 0 };
    for (const task of this.tasks) {
      const window = this.windows.find((w) => task.start >= w.start && task.start < w.end);
      const figure = window ? byPhase.get(window.phase)! : untimed;
      figure.count += 1;
      figure.totalMs += task.duration;
      figure.worstMs = Math.max(figure.worstMs, task.duration);
    }
    return [...byPhase.values(), untimed].filter((figure) => figure.count > 0);
  }
}
