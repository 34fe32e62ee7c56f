// Where a lesson runs: its own database (one lab per database, so the sandbox and every lesson keep their own world),
// its lab built from the lesson's scenario, and its progress saved beside it. Restart = reset both, prelude again.
import type { Lesson } from '@/lib/lessons/lesson-types';
import {
  KeylabDb,
  databaseExists,
  deleteLessonProgress,
  loadLabText,
  loadLessonProgress,
  saveLessonProgress,
} from '@/lib/storage';
import type { LabClock } from '../session/lab-clock';
import { openLab, resetLab } from '../lab';
import type { Lab } from '../lab-types';
import { asLessonProgress, type LessonProgress } from './progress';
import { startLesson } from './start';

export const lessonDbName = (lessonId: string) => `keylab-lesson-${lessonId}`;
export const lessonLabId = (lessonId: string) => `lesson-${lessonId}`;

export interface OpenLessonOptions {
  db: KeylabDb;
  lesson: Lesson;
  clock?: LabClock;
  /** Wraps the opened lab before the prelude runs (the UI's save-after-each-command lab). */
  wrap?: (lab: Lab) => Lab;
  wallNow?: () => number;
}

export const saveProgress = (db: KeylabDb, progress: LessonProgress) => saveLessonProgress(db, progress.lessonId, progress);

export async function loadProgress(db: KeylabDb, lessonId: string): Promise<LessonProgress | undefined> {
  return asLessonProgress(await loadLessonProgress(db, lessonId), lessonId);
}

/** Forgets a lesson's lab and progress (its database stays, empty). */
export async function resetLesson(db: KeylabDb, lessonId: string): Promise<void> {
  await deleteLessonProgress(db, lessonId);
  await resetLab(db, lessonLabId(lessonId));
}

/**
 * Opens the lesson's lab where the learner left it, or starts the lesson: a fresh lab from its scenario, the prelude,
 * the baseline, saved. A lab without progress (a tab closed during the prelude) is started again from scratch.
 */
export async function openLesson(options: OpenLessonOptions): Promise<{ lab: Lab; progress: LessonProgress }> {
  const { db, lesson } = options;
  const wrap = options.wrap ?? ((lab: Lab) => lab);
  let progress = await loadProgress(db, lesson.id);
  // Only whether it is there: a damaged record is openLab's to refuse, in the learner's words (LabOpenError).
  const savedLab = await loadLabText(db, lessonLabId(lesson.id));
  if (!progress || savedLab === undefined) {
    await resetLesson(db, lesson.id);
    progress = undefined;
  }
  const lab = wrap(await openLab({ db, labId: lessonLabId(lesson.id), scenario: lesson.scenario(), clock: options.clock }));
  if (progress) return { lab, progress };
  try {
    progress = await startLesson(lab, lesson, options.wallNow?.());
    await lab.save();
    await saveProgress(db, progress);
    return { lab, progress };
  } catch (error) {
    lab.dispose();
    throw error;
  }
}

/** A lesson's saved progress without opening its lab (the catalogue), or undefined when it was never started. */
export async function peekLessonProgress(lessonId: string): Promise<LessonProgress | undefined> {
  const name = lessonDbName(lessonId);
  if (!(await databaseExists(name))) return undefined;
  const db = new KeylabDb(name);
  try {
    return await loadProgress(db, lessonId);
  } finally {
    db.close();
  }
}
