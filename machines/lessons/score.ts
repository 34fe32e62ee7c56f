// The lesson's score: steps done unaided (no hint, not shown), hints used, steps shown or skipped, predictions right
// of those answered (a prediction not answered is neither right nor wrong), and the lesson's status with its best and
// last finished attempts.
import { finishedAttempt, NO_ATTEMPTS, withAttempt, type LessonAttempts } from './attempts';
import { stepProgress, type LessonProgress } from './progress';

export interface LessonScore {
  steps: number;
  unaided: number;
  hintsUsed: number;
  shown: number;
  skipped: number;
  /** Of the subjects the learner answered for, how many came out as predicted. */
  predictionsRight: number;
  /** Subjects the learner answered for (predictions judged). */
  predictionsTotal: number;
  /** Subjects asked about that the learner left unanswered (the step done or skipped first): not scored. */
  predictionsUnanswered: number;
}

export function score(progress: LessonProgress): LessonScore {
  const s: LessonScore = {
    steps: progress.stepIds.length,
    unaided: 0,
    hintsUsed: 0,
    shown: 0,
    skipped: 0,
    predictionsRight: 0,
    predictionsTotal: 0,
    predictionsUnanswered: 0,
  };
  for (const stepId of progress.stepIds) {
    const p = stepProgress(progress, stepId);
    s.hintsUsed += p.hintsUsed;
    if (p.outcome === 'done' && p.hintsUsed === 0 && !p.shown) s.unaided++;
    if (p.outcome === 'shown') s.shown++;
    if (p.outcome === 'skipped') s.skipped++;
  }
  for (const record of Object.values(progress.predictions)) {
    // A step skipped (or not over yet) observed nothing: what was answered for it cannot be judged.
    if (!record.observed) continue;
    for (const subject of record.subjects) {
      const answer = record.answers[subject.id];
      if (answer === undefined) {
        s.predictionsUnanswered++;
        continue;
      }
      s.predictionsTotal++;
      if (answer === record.observed[subject.id]?.choice) s.predictionsRight++;
    }
  }
  return s;
}

export type LessonStatus =
  | { state: 'notStarted'; attempts: LessonAttempts }
  | { state: 'inProgress'; done: number; steps: number; attempts: LessonAttempts }
  | { state: 'done'; score: LessonScore; attempts: LessonAttempts };

/**
 * Not started, in progress (steps over so far), or done with its score, read from the progress alone (no lesson
 * content: the catalogue), with the best and last finished attempts: those kept from before a restart, and this one.
 */
export function lessonStatus(progress: LessonProgress | undefined, kept: LessonAttempts = NO_ATTEMPTS): LessonStatus {
  if (!progress) return { state: 'notStarted', attempts: kept };
  const now = score(progress);
  const attempts = withAttempt(kept, finishedAttempt(progress, now));
  if (progress.finishedWallMs !== null) return { state: 'done', score: now, attempts };
  const done = progress.stepIds.filter((id) => stepProgress(progress, id).outcome !== null).length;
  return { state: 'inProgress', done, steps: progress.stepIds.length, attempts };
}
