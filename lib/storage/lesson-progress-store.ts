// Lesson progress rows: what a learner has done in a lesson, saved in the lesson's own database beside its lab.
import { Dexie } from 'dexie';
import type { KeylabDb } from './db';
import { mapQuota } from './errors';

export async function saveLessonProgress(db: KeylabDb, lessonId: string, progress: unknown): Promise<void> {
  await mapQuota(() => db.lessonProgress.put({ lessonId, progress, savedAt: Date.now() }));
}

/** The saved progress, or undefined when the lesson was never started in this database. */
export async function loadLessonProgress(db: KeylabDb, lessonId: string): Promise<unknown> {
  return (await db.lessonProgress.get(lessonId))?.progress;
}

export async function deleteLessonProgress(db: KeylabDb, lessonId: string): Promise<void> {
  await db.lessonProgress.delete(lessonId);
}

/** Whether a database of this name exists, so a catalogue can read statuses without creating empty databases. */
export function databaseExists(name: string): Promise<boolean> {
  return Dexie.exists(name);
}
