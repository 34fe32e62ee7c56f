// Finished attempts at a lesson, kept when it is restarted: the best one and the most recent one. Plain data, saved
// in their own record beside the lesson's progress (so a restart, or a progress record lost, does not take them).
import type { LessonProgress } from './progress';
import type { LessonScore } from './score';

export interface LessonAttempt {
  /** Wall-clock ms when the attempt started and ended. */
  startedWallMs: number;
  finishedWallMs: number;
  score: LessonScore;
}

export interface LessonAttempts {
  best: LessonAttempt | null;
  last: LessonAttempt | null;
}

export const NO_ATTEMPTS: LessonAttempts = { best: null, last: null };

/** The attempt `progress` records, once the lesson is over; null while it runs. */
export function finishedAttempt(progress: LessonProgress, score: LessonScore): LessonAttempt | null {
  if (progress.finishedWallMs === null) return null;
  return { startedWallMs: progress.startedWallMs, finishedWallMs: progress.finishedWallMs, score };
}

/**
 * Whether `a` is a better attempt than `b`: more steps done unaided, then fewer shown, fewer skipped, fewer hints,
 * more predictions right, then the quicker one. A tie keeps the earlier attempt.
 */
export function isBetter(a: LessonAttempt, b: LessonAttempt): boolean {
  const order: [number, number][] = [
    [a.score.unaided, b.score.unaided],
    [b.score.shown, a.score.shown],
    [b.score.skipped, a.score.skipped],
    [b.score.hintsUsed, a.score.hintsUsed],
    [a.score.predictionsRight, b.score.predictionsRight],
    [b.finishedWallMs - b.startedWallMs, a.finishedWallMs - a.startedWallMs],
  ];
  for (const [x, y] of order) if (x !== y) return x > y;
  return false;
}

/** The same attempt (by when it started and ended), whichever copy. */
export const sameAttempt = (a: LessonAttempt | null, b: LessonAttempt) => a !== null && a.startedWallMs === b.startedWallMs && a.finishedWallMs === b.finishedWallMs;

/** The kept attempts with `attempt` added (the newest is the last; it is the best if better than the best so far). */
export function withAttempt(kept: LessonAttempts, attempt: LessonAttempt | null): LessonAttempts {
  if (!attempt) return kept;
  // Folding the same attempt in twice (a restart cut short after its record was written) changes nothing.
  const best = kept.best && (sameAttempt(kept.best, attempt) || !isBetter(attempt, kept.best)) ? kept.best : attempt;
  const last = kept.last && kept.last.finishedWallMs > attempt.finishedWallMs ? kept.last : attempt;
  return { best, last };
}

function isAttempt(a: unknown): a is LessonAttempt {
  if (typeof a !== 'object' || a === null) return false;
  const x = a as LessonAttempt;
  return typeof x.startedWallMs === 'number' && typeof x.finishedWallMs === 'number' && typeof x.score === 'object' && x.score !== null && typeof x.score.unaided === 'number';
}

/** A saved record of attempts, or none (never saved, or unreadable: attempts are a record of the past, not needed to go on). */
export function asLessonAttempts(data: unknown): LessonAttempts {
  if (typeof data !== 'object' || data === null) return NO_ATTEMPTS;
  const { best, last } = data as Partial<LessonAttempts>;
  return { best: isAttempt(best) ? best : null, last: isAttempt(last) ? last : null };
}
