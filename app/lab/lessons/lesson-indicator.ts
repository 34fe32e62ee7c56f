// Where the learner is in a lesson, for the docked panel's folded strip and its sheet's header: "2/5", and a signal
// that changes when something new happens (a step passed, a prediction to make, a mix-up named, the end).
import type { Lesson } from '@/lib/lessons/lesson-types';
import type { LessonRunState } from '@/machines/lessons/lesson-run';
import type { DockIndicator } from './side-dock';

export function lessonIndicator(lesson: Lesson, state: LessonRunState): DockIndicator {
  const { evaluation, progress } = state;
  const total = lesson.steps.length;
  const over = evaluation.steps.filter((s) => s.state === 'done' || s.state === 'shown' || s.state === 'skipped').length;
  if (evaluation.finished) {
    return { short: `${total}/${total}`, long: 'All steps over', signal: 'finished', news: 'Lesson complete: your summary is ready' };
  }
  const index = lesson.steps.findIndex((s) => s.id === evaluation.currentStepId);
  const step = lesson.steps[index]!;
  const status = evaluation.steps[index];
  const predictionDue = !!step.predict && !progress.predictions[step.id];
  const mixUp = status?.state === 'current' && status.check.status === 'misconception' ? status.check.id : '';
  const n = index + 1;
  const news = predictionDue
    ? `step ${n} asks for your prediction first`
    : mixUp
      ? `step ${n}: not quite, a common mix-up`
      : over > 0
        ? `step ${over} is over; now step ${n}, ${step.title}`
        : `step ${n}, ${step.title}`;
  return { short: `${n}/${total}`, long: `Step ${n} of ${total}`, signal: `${over}|${step.id}|${predictionDue}|${mixUp}`, news };
}
