// The home page's offer: lesson 1 for a newcomer, the lesson in progress, else the next one not done.
import { describe, expect, it } from 'vitest';
import { LESSONS } from '@/lib/lessons';
import type { LessonStatus } from '@/machines/lessons/score';
import { lessonAfter, nextLesson } from './next-lesson';

const attempts = { best: null, last: null };
const score = { steps: 5, unaided: 5, hintsUsed: 0, shown: 0, skipped: 0, predictionsRight: 0, predictionsTotal: 0, predictionsUnanswered: 0 };
const done: LessonStatus = { state: 'done', score, attempts };
const going: LessonStatus = { state: 'inProgress', done: 1, steps: 5, attempts };
const id = (order: number) => LESSONS.find((l) => l.order === order)!.id;

describe('the lesson the home page offers', () => {
  it('is lesson 1 for a newcomer, and while the statuses load', () => {
    expect(nextLesson(LESSONS, {})).toMatchObject({ kind: 'first', lesson: { order: 1 } });
  });

  it('is lesson 2 once lesson 1 is done', () => {
    expect(nextLesson(LESSONS, { [id(1)]: done })).toMatchObject({ kind: 'next', lesson: { order: 2 }, after: { order: 1 } });
  });

  it('is the lesson in progress, whatever else is done', () => {
    expect(nextLesson(LESSONS, { [id(1)]: done, [id(4)]: going })).toMatchObject({ kind: 'continue', lesson: { order: 4 } });
  });

  it('skips lessons already done, and says when all are', () => {
    expect(nextLesson(LESSONS, { [id(1)]: done, [id(2)]: done, [id(3)]: done })).toMatchObject({ kind: 'next', lesson: { order: 4 }, after: { order: 3 } });
    expect(nextLesson(LESSONS, Object.fromEntries(LESSONS.map((l) => [l.id, done])))).toEqual({ kind: 'allDone' });
  });

  it('the lesson after a lesson is the next in catalogue order; none after the last', () => {
    expect(lessonAfter(LESSONS, id(1))?.order).toBe(2);
    expect(lessonAfter(LESSONS, LESSONS[LESSONS.length - 1]!.id)).toBeNull();
    expect(lessonAfter(LESSONS, 'no-such')).toBeNull();
  });
});
