// The pure core of the runner: where a learner is in a lesson (evaluate) and what a new view of the lab changes in the
// progress (advance). Steps end in order; a check is asked only of the current step, so a later state that no longer
// matches an earlier step (vCenter destroyed, then deployed again) never un-ticks it.
import type { CheckResult, Lesson, LessonStep } from '@/lib/lessons/lesson-types';
import type { LabView } from '../lab-types';
import { stepProgress, type LessonProgress, type StepProgress } from './progress';

export type StepStatus =
  | { stepId: string; state: 'done' | 'shown' | 'skipped' }
  | { stepId: string; state: 'current'; check: CheckResult }
  | { stepId: string; state: 'pending' };

export interface LessonEvaluation {
  steps: StepStatus[];
  /** The first step not over yet, or null when every step is. */
  currentStepId: string | null;
  finished: boolean;
}

export function currentStep(lesson: Lesson, progress: LessonProgress): LessonStep | null {
  return lesson.steps.find((s) => stepProgress(progress, s.id).outcome === null) ?? null;
}

/** Every step's status in this view: ended ones as they ended, the current one with its check, the rest pending. */
export function evaluate(lesson: Lesson, view: LabView, progress: LessonProgress): LessonEvaluation {
  const current = currentStep(lesson, progress);
  const steps = lesson.steps.map((step): StepStatus => {
    const outcome = stepProgress(progress, step.id).outcome;
    if (outcome) return { stepId: step.id, state: outcome };
    if (step === current) return { stepId: step.id, state: 'current', check: step.check(view, progress.baseline) };
    return { stepId: step.id, state: 'pending' };
  });
  return { steps, currentStepId: current?.id ?? null, finished: current === null };
}

function withStep(progress: LessonProgress, stepId: string, change: Partial<StepProgress>): LessonProgress {
  return { ...progress, steps: { ...progress.steps, [stepId]: { ...stepProgress(progress, stepId), ...change } } };
}

/** Records what a step's prediction really came to (once the step has passed). */
function observePrediction(progress: LessonProgress, step: LessonStep, view: LabView): LessonProgress {
  if (!step.predict) return progress;
  const record = progress.predictions[step.id] ?? {
    subjects: step.predict.subjects(view, progress.baseline),
    answers: {},
    answeredAt: null,
    observed: null,
  };
  const observed = Object.fromEntries(record.subjects.map((s) => [s.id, step.predict!.observe(view, s.id, progress.baseline)]));
  return { ...progress, predictions: { ...progress.predictions, [step.id]: { ...record, observed } } };
}

/**
 * Ends every step whose check now passes, in order, and notes a misconception met on the current step. Returns the
 * same object when nothing changed (so callers can skip a save).
 */
export function advance(lesson: Lesson, view: LabView, progress: LessonProgress, wallNow: number): LessonProgress {
  let next = progress;
  for (let step = currentStep(lesson, next); step; step = currentStep(lesson, next)) {
    const result = step.check(view, next.baseline);
    if (result.status === 'misconception') {
      const met = stepProgress(next, step.id).misconceptions;
      if (!met.includes(result.id)) next = withStep(next, step.id, { misconceptions: [...met, result.id] });
      break;
    }
    if (result.status !== 'done') break;
    next = withStep(next, step.id, { outcome: stepProgress(next, step.id).shown ? 'shown' : 'done', completedAt: view.clock.now });
    next = observePrediction(next, step, view);
  }
  if (next !== progress && next.finishedWallMs === null && currentStep(lesson, next) === null) next = { ...next, finishedWallMs: wallNow };
  return next;
}

/** Skips the current step (it counts as neither done nor shown); its prediction, if any, stays unobserved. */
export function skipCurrent(lesson: Lesson, view: LabView, progress: LessonProgress, wallNow: number): LessonProgress {
  const step = currentStep(lesson, progress);
  if (!step) return progress;
  let next = withStep(progress, step.id, { outcome: 'skipped', completedAt: view.clock.now });
  if (currentStep(lesson, next) === null) next = { ...next, finishedWallMs: wallNow };
  // The step after it may already be satisfied.
  return advance(lesson, view, next, wallNow);
}

/** Opens the next hint of a step (no more than it has). */
export function revealHint(lesson: Lesson, progress: LessonProgress, stepId: string): LessonProgress {
  const step = lesson.steps.find((s) => s.id === stepId);
  const used = stepProgress(progress, stepId).hintsUsed;
  if (!step || used >= step.hints.length) return progress;
  return withStep(progress, stepId, { hintsUsed: used + 1 });
}

/** Records the learner's prediction for a step; refused (unchanged) once the step is over, since it would be hindsight. */
export function recordPrediction(
  lesson: Lesson,
  view: LabView,
  progress: LessonProgress,
  stepId: string,
  answers: Record<string, string>,
): LessonProgress {
  const step = lesson.steps.find((s) => s.id === stepId);
  if (!step?.predict || stepProgress(progress, stepId).outcome !== null) return progress;
  const subjects = progress.predictions[stepId]?.subjects ?? step.predict.subjects(view, progress.baseline);
  const valid = new Set(step.predict.choices.map((c) => c.id));
  const kept = Object.fromEntries(Object.entries(answers).filter(([subject, choice]) => subjects.some((s) => s.id === subject) && valid.has(choice)));
  return {
    ...progress,
    predictions: { ...progress.predictions, [stepId]: { subjects, answers: kept, answeredAt: view.clock.now, observed: null } },
  };
}

export function markShown(progress: LessonProgress, stepId: string): LessonProgress {
  return withStep(progress, stepId, { shown: true });
}
