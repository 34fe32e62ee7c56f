// Headless helpers for lesson tests (the runner's and every lesson's): a lesson started on its own fake IndexedDB
// database and a manual clock, through the same openLesson the UI uses, and each step's check against the live view.
import type { CheckResult, Lesson } from '@/lib/lessons/lesson-types';
import { KeylabDb } from '@/lib/storage';
import { uniqueDbName } from '@/lib/storage/test-support';
import { createManualClock, type LabClock } from '../session/lab-clock';
import type { Lab, LabCommand } from '../lab-types';
import { LessonRun } from './lesson-run';
import { openLesson, saveProgress } from './open-lesson';
import type { LessonProgress } from './progress';

export interface LessonTestLab {
  db: KeylabDb;
  clock: LabClock;
  lab: Lab;
  lesson: Lesson;
  progress: LessonProgress;
  baseline: LessonProgress['baseline'];
  /** The step's check against the lab's view right now (whatever step is current). */
  check(stepId: string): CheckResult;
  /** A dispatch that must succeed (a refusal fails the test with vSphere's reason). */
  must(command: LabCommand): Promise<string>;
  /** A LessonRun over this lab (made on first use), saving into the same database; judges every change at once unless `settleMs` is given. */
  run(settleMs?: number): LessonRun;
}

const opened: { db: KeylabDb; lab: Lab; runs: LessonRun[] }[] = [];

export async function startLessonForTest(lesson: Lesson, opts: { db?: KeylabDb; clock?: LabClock; wallNow?: () => number } = {}): Promise<LessonTestLab> {
  const db = opts.db ?? new KeylabDb(uniqueDbName(`lesson-${lesson.id}`));
  const clock = opts.clock ?? createManualClock();
  const { lab, progress } = await openLesson({ db, lesson, clock, wallNow: opts.wallNow });
  const entry = { db, lab, runs: [] as LessonRun[] };
  opened.push(entry);
  const stepOf = (stepId: string) => {
    const step = lesson.steps.find((s) => s.id === stepId);
    if (!step) throw new Error(`The lesson ${lesson.id} has no step ${stepId}.`);
    return step;
  };
  let run: LessonRun | null = null;
  return {
    db,
    clock,
    lab,
    lesson,
    progress,
    baseline: progress.baseline,
    check: (stepId) => stepOf(stepId).check(lab.getView(), progress.baseline),
    must: async (command) => {
      const result = await lab.dispatch(command);
      if (!result.ok) throw new Error(`${command.type} was refused (${result.code}): ${result.reason}`);
      return result.message;
    },
    run: (settleMs = 0) => {
      if (!run) {
        run = new LessonRun(lab, lesson, progress, { save: (p) => saveProgress(db, p), wallNow: opts.wallNow, settleMs });
        entry.runs.push(run);
      }
      return run;
    },
  };
}

/** For afterEach: disposes every lesson run and lab a test opened, and closes their databases. */
export function closeLessonLabs(): void {
  for (const { db, lab, runs } of opened.splice(0)) {
    for (const r of runs) r.dispose();
    try {
      lab.dispose();
    } catch {
      // already disposed
    }
    db.close();
  }
}

/** Lets the lab's subscribers and IndexedDB work settle (fake-indexeddb schedules with real timers). */
export function settle(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
