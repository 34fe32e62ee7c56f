// Saving a running lab: every change schedules a save (debounced, less often while a command runs), `save()` flushes,
// saves never overlap, and a failed one is shown to the learner until one succeeds.
import type { Snapshot } from 'xstate';
import { saveLab, stampedWritesIssued, type KeylabDb } from '@/lib/storage';
import { failureOf } from '../commands/lab-refusal';

const SAVE_DEBOUNCE_MS = 150;
const SAVE_WHILE_BUSY_MS = 2000;

/** The saved form: `{ format, now, root }`, checked by saved-lab.ts when the lab opens again. */
export interface SavedLabRecord {
  format: number;
  /** Lab time when saved, so time continues from there. */
  now: number;
  root: Snapshot<unknown>;
}

export class LabSaver {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<void> = Promise.resolve();
  /** What the view says about a failed save, or null. */
  problem: string | null = null;

  constructor(
    private readonly db: KeylabDb,
    private readonly labId: string,
    /** The lab as it is now, in its saved form. */
    private readonly record: () => SavedLabRecord,
    /** The save problem appeared or cleared: the view must show it. */
    private readonly onProblemChanged: () => void,
    /** True when no command runs: every file or key written so far is already in the snapshot (see world-stamp.ts). */
    private readonly quiet: () => boolean = () => false,
  ) {}

  /**
   * A save soon, unless one is scheduled already. While a command runs (`busy`), its many small changes are saved
   * less often: a save serialises every actor and would compete with the command's own IndexedDB writes. A disk job
   * asks for a save of its own as it starts.
   */
  schedule(busy: boolean): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.save().catch(() => {});
      },
      busy ? SAVE_WHILE_BUSY_MS : SAVE_DEBOUNCE_MS,
    );
  }

  readonly save = (): Promise<void> => {
    this.cancel();
    const saved = this.record();
    const quietAt = this.quiet() ? stampedWritesIssued(this.db) : null;
    // A failed save must not stop the ones after it; the learner is told, and the next change tries again.
    this.saving = this.saving
      .catch(() => {})
      .then(() => saveLab(this.db, this.labId, saved, quietAt))
      .then(
        () => this.setProblem(null),
        (error: unknown) => {
          this.setProblem(`The lab could not be saved. ${failureOf(error).reason} Until it saves again, what you do now would be lost on a reload.`);
          throw error;
        },
      );
    return this.saving;
  };

  /** Drops a scheduled save (the lab is closing, or a save is starting now). */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Shows (or clears) a save failure in the view without scheduling another save for it. */
  private setProblem(problem: string | null): void {
    if (problem === this.problem) return;
    this.problem = problem;
    this.onProblemChanged();
  }
}
