// Which lesson the home page offers first: the one in progress, else the first not done yet in catalogue order, so
// "start with lesson 1" gives way to the next lesson once lesson 1 is done. Pure, over the catalogue and the statuses.
import type { LessonEntry } from '@/lib/lessons';
import type { LessonStatus } from '@/machines/lessons/score';

export type NextLesson =
  | { kind: 'first'; lesson: LessonEntry }
  | { kind: 'continue'; lesson: LessonEntry }
  | { kind: 'next'; lesson: LessonEntry; after: LessonEntry }
  | { kind: 'allDone' };

/** `lessons` in catalogue order (only those that can be opened); statuses may still be loading (then: the first). */
export function nextLesson(lessons: readonly LessonEntry[], statuses: Record<string, LessonStatus | undefined>): NextLesson {
  const first = lessons[0];
  if (!first) return { kind: 'allDone' };
  const inProgress = lessons.find((l) => statuses[l.id]?.state === 'inProgress');
  if (inProgress) return { kind: 'continue', lesson: inProgress };
  const done = lessons.filter((l) => statuses[l.id]?.state === 'done');
  if (done.length === 0) return { kind: 'first', lesson: first };
  const open = lessons.find((l) => statuses[l.id]?.state !== 'done');
  if (!open) return { kind: 'allDone' };
  // "After" names the lesson done most recently before it in the catalogue (what the learner just finished, usually).
  const after = [...done].reverse().find((l) => l.order < open.order) ?? done[done.length - 1]!;
  return { kind: 'next', lesson: open, after };
}

/** The lesson after `lessonId` in catalogue order, or null for the last one. */
export function lessonAfter(lessons: readonly LessonEntry[], lessonId: string): LessonEntry | null {
  const i = lessons.findIndex((l) => l.id === lessonId);
  return i >= 0 ? (lessons[i + 1] ?? null) : null;
}
