// What the folded lesson panel shows: the step the learner is on, and a signal that changes with news (a step over, a
// prediction due, a mix-up named, the end), so the dot appears exactly when there is something new to read.
import { describe, expect, it } from 'vitest';
import type { Lesson, LessonStep } from '@/lib/lessons/lesson-types';
import type { LessonEvaluation } from '@/machines/lessons/evaluate';
import type { LessonRunState } from '@/machines/lessons/lesson-run';
import { lessonIndicator } from './lesson-indicator';

const step = (id: string, predict = false): LessonStep =>
  ({ id, title: `Do ${id}`, instructions: '', hints: [], why: '', check: () => ({ status: 'notYet' }), predict: predict ? ({} as LessonStep['predict']) : undefined }) as LessonStep;
const lesson = { steps: [step('a'), step('b', true), step('c')] } as unknown as Lesson;

function state(evaluation: LessonEvaluation, predictions: Record<string, unknown> = {}): LessonRunState {
  return { evaluation, progress: { predictions } } as unknown as LessonRunState;
}
const at = (current: string, check: LessonEvaluation['steps'][number] | null = null): LessonEvaluation => {
  const order = ['a', 'b', 'c'];
  const i = order.indexOf(current);
  return {
    currentStepId: current,
    finished: false,
    steps: order.map((id, j) => (j < i ? { stepId: id, state: 'done' } : j === i ? (check ?? { stepId: id, state: 'current', check: { status: 'notYet' } }) : { stepId: id, state: 'pending' })),
  } as LessonEvaluation;
};

describe('the lesson’s indicator', () => {
  it('says the step in short and in words', () => {
    expect(lessonIndicator(lesson, state(at('a')))).toMatchObject({ short: '1/3', long: 'Step 1 of 3', news: 'step 1, Do a' });
  });

  it('changes its signal when a step passes, and says a prediction is due', () => {
    const first = lessonIndicator(lesson, state(at('a')));
    const second = lessonIndicator(lesson, state(at('b')));
    expect(second.signal).not.toBe(first.signal);
    expect(second).toMatchObject({ short: '2/3', news: 'step 2 asks for your prediction first' });
    // The prediction made: news again (the step is waiting for the learner's action now).
    const predicted = lessonIndicator(lesson, state(at('b'), { b: {} }));
    expect(predicted.signal).not.toBe(second.signal);
    expect(predicted.news).toBe('step 1 is over; now step 2, Do b');
  });

  it('names a mix-up, and the end', () => {
    const mixUp = lessonIndicator(lesson, state(at('c', { stepId: 'c', state: 'current', check: { status: 'misconception', id: 'm', message: '' } })));
    expect(mixUp.news).toBe('step 3: not quite, a common mix-up');
    expect(mixUp.signal).not.toBe(lessonIndicator(lesson, state(at('c'))).signal);
    const end = lessonIndicator(lesson, state({ currentStepId: null, finished: true, steps: [] }));
    expect(end).toMatchObject({ short: '3/3', long: 'All steps over', news: 'Lesson complete: your summary is ready' });
  });
});
