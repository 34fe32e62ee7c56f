// Where a lesson runs: its own database (one lab per database, so the sandbox and every lesson keep their own world),
// its lab built from the lesson's scenario, and its progress saved beside it. Restart = reset both (the finished
// attempts are kept in a record of their own), prelude again. A lab or progress record missing or unreadable is never
// thrown away unasked: openLesson refuses with LessonRecordError until the learner chooses to start over.
import type { Lesson } from '@/lib/lessons/lesson-types';
import {
  KeylabDb,
  databaseExists,
  deleteLessonProgress,
  hasStoredWorld,
  loadLabText,
  loadLessonProgress,
  saveLessonProgress,
} from '@/lib/storage';
import { exportStoredWorld } from '@/lib/storage/world-export';
import type { LabClock } from '../session/lab-clock';
import { openLab, resetLab } from '../lab';
import type { Lab } from '../lab-types';
import { asLessonAttempts, finishedAttempt, withAttempt, type LessonAttempts } from './attempts';
import { LessonRecordError, type LessonRecordProblem } from './lesson-record-error';
import { asLessonProgress, type LessonProgress } from './progress';
import { score } from './score';
import { startLesson } from './start';

export const lessonDbName = (lessonId: string) => `keylab-lesson-${lessonId}`;
export const lessonLabId = (lessonId: string) => `lesson-${lessonId}`;
/** The attempts' own row in the progress table (a lesson id never holds a colon). */
const attemptsKey = (lessonId: string) => `attempts:${lessonId}`;

export interface OpenLessonOptions {
  db: KeylabDb;
  lesson: Lesson;
  clock?: LabClock;
  /** Wraps the opened lab before the prelude runs (the UI's save-after-each-command lab). */
  wrap?: (lab: Lab) => Lab;
  wallNow?: () => number;
  /**
   * The learner chose to start again although the lab or progress record is missing or damaged (what is left is
   * thrown away). Without it such a lesson is refused with LessonRecordError.
   */
  startOver?: boolean;
}

export const saveProgress = (db: KeylabDb, progress: LessonProgress) => saveLessonProgress(db, progress.lessonId, progress);

export async function loadProgress(db: KeylabDb, lessonId: string): Promise<LessonProgress | undefined> {
  return asLessonProgress(await loadLessonProgress(db, lessonId), lessonId);
}

/** The lesson's finished attempts kept from before its restarts (none when never restarted after finishing). */
export async function loadAttempts(db: KeylabDb, lessonId: string): Promise<LessonAttempts> {
  return asLessonAttempts(await loadLessonProgress(db, attemptsKey(lessonId)));
}

/** Forgets a lesson's lab and progress (its database stays, empty); a finished attempt is kept with the earlier ones. */
export async function resetLesson(db: KeylabDb, lessonId: string): Promise<void> {
  const progress = await loadProgress(db, lessonId).catch(() => undefined);
  if (progress?.finishedWallMs != null) {
    const kept = withAttempt(await loadAttempts(db, lessonId), finishedAttempt(progress, score(progress)));
    await saveLessonProgress(db, attemptsKey(lessonId), kept);
  }
  await deleteLessonProgress(db, lessonId);
  await resetLab(db, lessonLabId(lessonId));
}

/** What is missing or unreadable of a lesson that was started before, or nothing (a fresh lesson, or one intact). */
async function recordProblems(db: KeylabDb, lessonId: string) {
  const raw = await loadLessonProgress(db, lessonId);
  const progress = asLessonProgress(raw, lessonId);
  // Only whether it is there: a damaged lab record is openLab's to refuse, in the learner's words (LabOpenError).
  const lab = (await loadLabText(db, lessonLabId(lessonId))) !== undefined;
  const world = await hasStoredWorld(db);
  const problems: LessonRecordProblem[] = [];
  if (raw !== undefined && !progress) problems.push('progressDamaged');
  if (raw === undefined && (lab || world)) problems.push('progressMissing');
  if (progress && !lab) problems.push('labMissing');
  return { progress, problems, kept: { world, lab, progress: raw !== undefined } };
}

/**
 * Opens the lesson's lab where the learner left it, or starts the lesson: a fresh lab from its scenario, the prelude,
 * the baseline, saved. A lab or progress record that is missing or damaged is refused (LessonRecordError) unless
 * `startOver`: the learner is told what was lost and chooses.
 */
export async function openLesson(options: OpenLessonOptions): Promise<{ lab: Lab; progress: LessonProgress }> {
  const { db, lesson } = options;
  const wrap = options.wrap ?? ((lab: Lab) => lab);
  const found = await recordProblems(db, lesson.id);
  let progress = found.progress;
  if (found.problems.length > 0) {
    if (!options.startOver) throw new LessonRecordError(found.problems, found.kept);
    await resetLesson(db, lesson.id);
    progress = undefined;
  } else if (!progress) {
    // Nothing was ever stored here (or a restart emptied it): a fresh lab.
    await resetLab(db, lessonLabId(lesson.id));
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

/** Everything the lesson left in this browser (lab records, files, disks, the list of keys, the progress as stored), to keep before starting over. */
export async function exportLessonData(db: KeylabDb, lessonId: string): Promise<string> {
  const world = JSON.parse(await exportStoredWorld(db)) as Record<string, unknown>;
  const progress = await loadLessonProgress(db, lessonId).catch((error: unknown) => `unreadable: ${String(error)}`);
  const bytesAsBase64 = (_key: string, value: unknown) =>
    value instanceof Uint8Array ? { base64: btoa(Array.from(value, (b) => String.fromCharCode(b)).join('')) } : value;
  return JSON.stringify({ ...world, lessonId, lessonProgress: progress ?? null }, bytesAsBase64);
}

/** A lesson's saved progress and kept attempts without opening its lab (the catalogue); no progress when never started. */
export async function peekLesson(lessonId: string): Promise<{ progress: LessonProgress | undefined; attempts: LessonAttempts }> {
  const name = lessonDbName(lessonId);
  if (!(await databaseExists(name))) return { progress: undefined, attempts: asLessonAttempts(undefined) };
  const db = new KeylabDb(name);
  try {
    return { progress: await loadProgress(db, lessonId), attempts: await loadAttempts(db, lessonId) };
  } finally {
    db.close();
  }
}

/** A lesson's saved progress without opening its lab, or undefined when it was never started. */
export async function peekLessonProgress(lessonId: string): Promise<LessonProgress | undefined> {
  return (await peekLesson(lessonId)).progress;
}
