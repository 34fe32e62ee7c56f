'use client';
// What the current step's check says right now: a named misconception (never just "not solved"), or what is still to do.
import type { CheckResult } from '@/lib/lessons/lesson-types';

export function StepFeedback({ check }: { check: CheckResult }) {
  if (check.status === 'misconception') {
    return (
      <div
        role="alert"
        data-testid="misconception"
        data-misconception={check.id}
        className="rounded border border-amber-500 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-500 dark:bg-amber-950 dark:text-amber-100"
      >
        <p className="font-semibold">Not quite: a common mix-up</p>
        <p className="mt-1">{check.message}</p>
      </div>
    );
  }
  if (check.status === 'notYet' && check.missing) {
    return (
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="still-to-do">
        <span className="font-medium">Still to do:</span> {check.missing}
      </p>
    );
  }
  return null;
}
