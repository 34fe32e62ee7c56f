// A lesson in progress over an open lab: follows the lab's view, ticks steps as their checks pass, and offers the
// learner's actions (hint, predict, show me, skip) and the proof. Saves its progress through the `save` it is given.
// A store for React (getState/subscribe) but no React here.
import type { Lesson } from '@/lib/lessons/lesson-types';
import type { Lab } from '../lab-types';
import { runActions } from './actions';
import { advance, currentStep, evaluate, markShown, recordPrediction, revealHint, skipCurrent, type LessonEvaluation } from './evaluate';
import { runProof } from './proof';
import type { LessonProgress } from './progress';
import { score, type LessonScore } from './score';

export interface LessonRunState {
  progress: LessonProgress;
  evaluation: LessonEvaluation;
  score: LessonScore;
  /** "Show me" or the proof is running. */
  busy: boolean;
  /** What "show me" last did, in the lab's words (or why it could not). */
  lastShowMe: { stepId: string; ok: boolean; messages: string[] } | null;
  /** The last save failed: what the learner should know. */
  saveProblem: string | null;
}

export interface LessonRunOptions {
  save: (progress: LessonProgress) => Promise<void>;
  /** Wall clock for "time taken" (tests pass their own). */
  wallNow?: () => number;
  /**
   * Quiet time (ms) before a change of the lab is judged: a command changes the view several times on its way (a
   * backup marks the provider backed up, then pushes the KDK host by host), and a step must be judged, and its
   * prediction observed, on where the command ends, not halfway. 0 judges every change at once (tests that await
   * each command). Never waits more than a second in all.
   */
  settleMs?: number;
}

const MAX_SETTLE_MS = 1000;

export class LessonRun {
  private state: LessonRunState;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: () => void;
  private saving: Promise<void> = Promise.resolve();
  private disposed = false;
  private proving = false;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  private firstUnsettled = 0;
  private readonly wallNow: () => number;

  constructor(
    readonly lab: Lab,
    readonly lesson: Lesson,
    progress: LessonProgress,
    private readonly options: LessonRunOptions,
  ) {
    this.wallNow = options.wallNow ?? Date.now;
    const view = lab.getView();
    this.state = { progress, evaluation: evaluate(lesson, view, progress), score: score(progress), busy: false, lastShowMe: null, saveProblem: null };
    this.unsubscribe = lab.subscribe(() => this.follow());
    this.judge();
  }

  readonly getState = (): LessonRunState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(change: Partial<LessonRunState>): void {
    this.state = { ...this.state, ...change };
    for (const l of [...this.listeners]) l();
  }

  /** New progress: re-evaluated against the current view, shown, and saved (saves run one after the other). */
  private setProgress(progress: LessonProgress): void {
    const changed = progress !== this.state.progress;
    this.set({ progress, evaluation: evaluate(this.lesson, this.lab.getView(), progress), score: score(progress) });
    if (changed) this.persist(progress);
  }

  private persist(progress: LessonProgress): void {
    this.saving = this.saving
      .catch(() => {})
      .then(() => this.options.save(progress))
      .then(
        () => {
          if (this.state.saveProblem) this.set({ saveProblem: null });
        },
        (error: unknown) => this.set({ saveProblem: `The lesson's progress could not be saved (${error instanceof Error ? error.message : String(error)}).` }),
      );
  }

  /** Resolves once every progress change so far is saved. */
  flush(): Promise<void> {
    return this.saving.catch(() => {});
  }

  /** A change of the lab: judged once the lab has been quiet for settleMs (see LessonRunOptions). */
  private follow(): void {
    if (this.disposed) return;
    const settleMs = this.options.settleMs ?? 250;
    if (settleMs <= 0) return this.judge();
    const now = Date.now();
    if (this.settleTimer === null) this.firstUnsettled = now;
    else clearTimeout(this.settleTimer);
    const wait = Math.min(settleMs, Math.max(0, this.firstUnsettled + MAX_SETTLE_MS - now));
    this.settleTimer = setTimeout(() => {
      this.settleTimer = null;
      this.judge();
    }, wait);
  }

  private judge(): void {
    if (this.disposed) return;
    this.setProgress(advance(this.lesson, this.lab.getView(), this.state.progress, this.wallNow()));
    this.proveOnceFinished();
  }

  /** The proof runs by itself once the last step is over (and again after a reload that interrupted it). */
  private proveOnceFinished(): void {
    const { progress } = this.state;
    if (progress.finishedWallMs !== null && progress.proof === null && !this.proving) void this.prove();
  }

  revealHint(stepId: string): void {
    this.setProgress(revealHint(this.lesson, this.state.progress, stepId));
  }

  predict(stepId: string, answers: Record<string, string>): void {
    this.setProgress(recordPrediction(this.lesson, this.lab.getView(), this.state.progress, stepId, answers));
  }

  skip(): void {
    this.setProgress(skipCurrent(this.lesson, this.lab.getView(), this.state.progress, this.wallNow()));
    this.proveOnceFinished();
  }

  /** "Show me": performs the current step through the same dispatch as the learner's clicks, and says what it did. */
  async showMe(): Promise<{ ok: boolean; messages: string[] }> {
    const step = currentStep(this.lesson, this.state.progress);
    if (!step?.showMe || this.state.busy) return { ok: false, messages: ['There is nothing to show for this step.'] };
    this.setProgress(markShown(this.state.progress, step.id));
    this.set({ busy: true });
    const actions = step.showMe(this.lab.getView(), this.state.progress.baseline);
    const outcome = await runActions(this.lab, actions, this.state.progress.handout);
    if (this.disposed) return outcome;
    if (outcome.handout !== this.state.progress.handout) this.setProgress({ ...this.state.progress, handout: outcome.handout });
    this.set({ busy: false, lastShowMe: { stepId: step.id, ok: outcome.ok, messages: outcome.messages } });
    this.judge();
    return outcome;
  }

  /** Runs the lesson's proof (again) and keeps its result with the progress. */
  async prove(): Promise<LessonProgress['proof']> {
    if (!this.lesson.proof || this.proving) return this.state.progress.proof;
    this.proving = true;
    this.set({ busy: true });
    const proof = await runProof(this.lab, this.lesson.proof, this.state.progress.baseline).finally(() => (this.proving = false));
    if (this.disposed) return proof;
    this.set({ busy: false });
    this.setProgress({ ...this.state.progress, proof });
    return proof;
  }

  dispose(): void {
    this.disposed = true;
    if (this.settleTimer !== null) clearTimeout(this.settleTimer);
    this.unsubscribe();
    this.listeners.clear();
  }
}
