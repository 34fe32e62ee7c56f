'use client';
// Shows what came of an action right where the learner clicked: a refusal with its reason (role=alert), or a brief
// success (role=status). data-result (running, ok, refused) lets tests find the outcome that belongs to a control.
import type { ActionState } from './use-action';

export function ActionResult({ state, compact = false }: { state: ActionState; compact?: boolean }) {
  if (state.status === 'running') {
    return (
      <p role="status" className="text-xs text-slate-700 dark:text-slate-300" data-result="running">
        Working…
      </p>
    );
  }
  if (state.status !== 'done') return null;
  const { result } = state;
  if (result.ok) {
    return (
      <p role="status" className="text-xs text-green-800 dark:text-green-300" data-result="ok">
        <span aria-hidden="true">✓ </span>
        {result.message}
      </p>
    );
  }
  return (
    <p
      role="alert"
      data-result="refused"
      data-code={result.code}
      className={`rounded border border-red-300 bg-red-50 text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100 ${
        compact ? 'px-1.5 py-0.5 text-xs' : 'px-2 py-1 text-sm'
      }`}
    >
      <span className="font-semibold">Refused: </span>
      {result.reason}
    </p>
  );
}
