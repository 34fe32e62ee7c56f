// Starting a lesson: run its prelude through the lab's dispatch (keeping a handed-out .p12), then record the baseline.
import type { Lesson } from '@/lib/lessons/lesson-types';
import type { Lab } from '../lab-types';
import { runActions } from './actions';
import { guestFilesOf, recordBaseline } from './baseline';
import { PROGRESS_FORMAT, type LessonProgress } from './progress';

export class LessonPreludeError extends Error {
  constructor(lessonId: string, reason: string) {
    super(`The lesson "${lessonId}" could not set up its starting lab: ${reason} Restart the lesson to try again.`);
    this.name = 'LessonPreludeError';
  }
}

/** Runs the prelude on a lab freshly built from the lesson's scenario and returns the lesson's first progress. */
export async function startLesson(lab: Lab, lesson: Lesson, wallNow: number = Date.now()): Promise<LessonProgress> {
  const outcome = await runActions(lab, lesson.prelude, null);
  if (!outcome.ok) throw new LessonPreludeError(lesson.id, outcome.messages.at(-1) ?? 'an action was refused.');
  const baseline = recordBaseline(lab.getView(), guestFilesOf(lesson.scenario(), lesson.prelude));
  return {
    format: PROGRESS_FORMAT,
    lessonId: lesson.id,
    stepIds: lesson.steps.map((s) => s.id),
    baseline,
    steps: {},
    predictions: {},
    handout: outcome.handout,
    startedWallMs: wallNow,
    finishedWallMs: null,
    proof: null,
  };
}
