// The score, pure: a prediction the learner did not answer is neither right nor wrong (it used to count as wrong), and
// the best of several finished attempts is the one with the most steps done unaided.
import { describe, expect, it } from 'vitest';
import { asLessonAttempts, isBetter, NO_ATTEMPTS, withAttempt, type LessonAttempt } from './attempts';
import { PROGRESS_FORMAT, type LessonProgress, type PredictionRecord } from './progress';
import { lessonStatus, score, type LessonScore } from './score';

const subjects = [
  { id: 'db-01', label: 'db-01' },
  { id: 'web-01', label: 'web-01' },
];
const observed = { 'db-01': { choice: 'runs', reason: '' }, 'web-01': { choice: 'stops', reason: '' } };

function progress(predictions: Record<string, PredictionRecord>, finishedWallMs: number | null = null): LessonProgress {
  return {
    format: PROGRESS_FORMAT,
    lessonId: 't',
    stepIds: ['a', 'b'],
    baseline: { startedAt: 0, providers: {}, vms: {}, guestFiles: [] },
    steps: {
      a: { outcome: 'done', completedAt: 1, hintsUsed: 0, shown: false, misconceptions: [] },
      b: { outcome: 'done', completedAt: 2, hintsUsed: 1, shown: false, misconceptions: [] },
    },
    predictions,
    handout: null,
    startedWallMs: 0,
    finishedWallMs,
    proof: null,
  };
}

describe('predictions in the score', () => {
  it('a prediction not answered (the step done first) is not scored as wrong', () => {
    const s = score(progress({ a: { subjects, answers: {}, answeredAt: null, observed } }));
    expect(s).toMatchObject({ predictionsRight: 0, predictionsTotal: 0, predictionsUnanswered: 2 });
  });

  it('answered subjects are judged, unanswered ones set apart', () => {
    const s = score(progress({ a: { subjects, answers: { 'db-01': 'runs' }, answeredAt: 1, observed } }));
    expect(s).toMatchObject({ predictionsRight: 1, predictionsTotal: 1, predictionsUnanswered: 1 });
    const wrong = score(progress({ a: { subjects, answers: { 'db-01': 'stops', 'web-01': 'runs' }, answeredAt: 1, observed } }));
    expect(wrong).toMatchObject({ predictionsRight: 0, predictionsTotal: 2, predictionsUnanswered: 0 });
  });

  it('a prediction whose step was skipped observed nothing and counts nowhere', () => {
    const s = score(progress({ a: { subjects, answers: { 'db-01': 'runs', 'web-01': 'runs' }, answeredAt: 1, observed: null } }));
    expect(s).toMatchObject({ predictionsRight: 0, predictionsTotal: 0, predictionsUnanswered: 0 });
  });
});

const base: LessonScore = { steps: 5, unaided: 3, hintsUsed: 1, shown: 1, skipped: 0, predictionsRight: 2, predictionsTotal: 3, predictionsUnanswered: 0 };
const attempt = (startedWallMs: number, change: Partial<LessonScore> = {}, minutes = 10): LessonAttempt => ({
  startedWallMs,
  finishedWallMs: startedWallMs + minutes * 60_000,
  score: { ...base, ...change },
});

describe('best and last attempts', () => {
  it('more steps unaided is better; then fewer shown, skipped, hints; then more predictions right; then quicker', () => {
    expect(isBetter(attempt(1, { unaided: 4 }), attempt(2))).toBe(true);
    expect(isBetter(attempt(1, { shown: 0 }), attempt(2))).toBe(true);
    expect(isBetter(attempt(1, { hintsUsed: 0 }), attempt(2))).toBe(true);
    expect(isBetter(attempt(1, { predictionsRight: 3 }), attempt(2))).toBe(true);
    expect(isBetter(attempt(1, {}, 5), attempt(2))).toBe(true);
    expect(isBetter(attempt(1), attempt(2))).toBe(false); // a tie keeps the earlier one
    expect(isBetter(attempt(1, { unaided: 2, hintsUsed: 0, shown: 0 }), attempt(2))).toBe(false);
  });

  it('the newest attempt is the last; the best stays until a better one comes', () => {
    const good = attempt(1_000_000, { unaided: 5, shown: 0, hintsUsed: 0 });
    const poor = attempt(2_000_000, { unaided: 0, shown: 5 });
    let kept = withAttempt(NO_ATTEMPTS, good);
    kept = withAttempt(kept, poor);
    expect(kept).toEqual({ best: good, last: poor });
    // The same attempt folded in twice changes nothing.
    expect(withAttempt(kept, poor)).toEqual(kept);
    const better = attempt(3_000_000, { unaided: 5, shown: 0, hintsUsed: 0 }, 2);
    expect(withAttempt(kept, better)).toEqual({ best: better, last: better });
  });

  it('the status shows the attempt in progress beside the kept ones, and a finished lesson as the last', () => {
    const kept = withAttempt(NO_ATTEMPTS, attempt(1));
    const running = lessonStatus(progress({}), kept);
    expect(running).toMatchObject({ state: 'inProgress', done: 2, attempts: kept });
    const done = lessonStatus({ ...progress({}, 9_000_000), startedWallMs: 8_000_000 }, kept);
    expect(done.state).toBe('done');
    expect(done.attempts.last).toMatchObject({ startedWallMs: 8_000_000 });
    expect(done.attempts.best).toBe(kept.best); // the kept one was as good and earlier
    expect(lessonStatus(undefined, kept)).toEqual({ state: 'notStarted', attempts: kept });
  });

  it('an unreadable attempts record is read as none, never as an error', () => {
    expect(asLessonAttempts('junk')).toEqual(NO_ATTEMPTS);
    expect(asLessonAttempts({ best: { score: 1 }, last: attempt(1) })).toEqual({ best: null, last: attempt(1) });
  });
});
