// A lesson's score in a few words, the same on the home page and in the lesson's summary.
import type { LessonScore } from '@/machines/lessons/score';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function scoreText(s: LessonScore): string {
  return `${s.unaided} of ${s.steps} steps unaided, ${plural(s.hintsUsed, 'hint')}${
    s.predictionsTotal ? `, ${s.predictionsRight} of ${s.predictionsTotal} predictions right` : ''
  }`;
}

/** When an attempt ended, as the learner reads a date (their own locale). */
export function attemptDate(wallMs: number): string {
  return new Date(wallMs).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}
