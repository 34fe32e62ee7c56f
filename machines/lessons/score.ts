// The lesson's score: steps done unaided (no hint, not shown), hints used, steps shown or skipped, predictions right.
import { stepProgress, type LessonProgress } from './progress';

export interface LessonScore {
  steps: number;
  unaided: number;
  hintsUsed: number;
  shown: number;
  skipped: number;
  predictionsRight: number;
  predictionsTotal: number;
}

export function score(progress: LessonProgress): LessonScore {
  const s: LessonScore = { steps: progress.stepIds.length, unaided: 0, hintsUsed: 0, shown: 0, skipped: 0, predictionsRight: 0, predictionsTotal: 0 };
  for (const stepId of progress.stepIds) {
    const p = stepProgress(progress, stepId);
    s.hintsUsed += p.hintsUsed;
    if (p.outcome === 'done' && p.hintsUsed === 0 && !p.shown) s.unaided++;
    if (p.outcome === 'shown') s.shown++;
    if (p.outcome === 'skipped') s.skipped++;
  }
  for (const record of Object.values(progress.predictions)) {
    if (!record.observed) continue;
    for (const subject of record.subjects) {
      s.predictionsTotal++;
      if (record.answers[subject.id] !== undefined && record.answers[subject.id] === record.observed[subject.id]?.choice) s.predictionsRight++;
    }
  }
  return s;
}

export type LessonStatus = { state: 'notStarted' } | { state: 'inProgress'; done: number; steps: number } | { state: 'done'; score: LessonScore };

/** Not started, in progress (steps over so far), or done with its score: read from the progress alone. */
export function lessonStatus(progress: LessonProgress | undefined): LessonStatus {
  if (!progress) return { state: 'notStarted' };
  if (progress.finishedWallMs !== null) return { state: 'done', score: score(progress) };
  const done = progress.stepIds.filter((id) => stepProgress(progress, id).outcome !== null).length;
  return { state: 'inProgress', done, steps: progress.stepIds.length };
}
