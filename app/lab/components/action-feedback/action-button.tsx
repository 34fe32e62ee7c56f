'use client';
// A button that runs one lab action and shows its outcome beneath itself (or beneath its row of buttons, see
// outcome-slot.tsx), so a refusal reads next to its cause. The outcome stays whether or not the button has since
// become disabled (e.g. "Power off" succeeded, so it now says "Already powered off"), and clears once the state it
// describes changes (`stateKey`; by default the button's disabled reason).
import { useId, type ReactNode } from 'react';
import type { CommandResult } from '@/machines/lab-types';
import { buttonClass, type ButtonVariant } from '../ui/button';
import { ActionResult } from './action-result';
import { useApplies } from './only-where-it-applies';
import { useOutcomeSlot } from './outcome-slot';
import { useAction } from './use-action';

export interface ActionButtonProps {
  children: ReactNode;
  run: () => Promise<CommandResult>;
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
  /** When set, the button is disabled and this reason shows beneath it (and is its tooltip and description). */
  disabledReason?: string | null;
  /** Called after the action succeeded. */
  onSuccess?: (result: CommandResult) => void;
  title?: string;
  /** The state the outcome describes (e.g. the VM's power and keys); when it changes, the outcome clears. */
  stateKey?: string;
}

export function ActionButton({ children, run, variant = 'secondary', size = 'sm', disabledReason, onSuccess, title, stateKey }: ActionButtonProps) {
  const action = useAction(stateKey ?? disabledReason ?? '');
  const reasonId = useId();
  const inRow = useOutcomeSlot(reasonId, action.state);
  const applies = useApplies();
  if (!applies && action.state.status === 'idle') return null;
  const disabled = Boolean(disabledReason);
  // After a click, the outcome replaces the standing reason so the two do not say contradicting things at once.
  const showReason = disabled && action.state.status === 'idle';
  // In a row, the reason beneath a button wraps within the button's column (at least 9rem wide) instead of widening
  // it, so buttons keep their places whichever of them is disabled.
  return (
    <div className={`flex max-w-xs flex-col items-start gap-1 ${inRow ? 'min-w-36' : ''}`}>
      <button
        type="button"
        title={disabled ? (disabledReason ?? undefined) : title}
        aria-disabled={disabled || undefined}
        aria-describedby={disabled ? reasonId : undefined}
        aria-busy={action.running || undefined}
        className={buttonClass(variant, size, disabled)}
        onClick={() => {
          if (disabled || action.running) return;
          void action.run(run).then((r) => {
            if (r.ok) onSuccess?.(r);
          });
        }}
      >
        {children}
      </button>
      {disabled ? (
        <span id={reasonId} className={showReason ? `text-xs leading-snug text-slate-600 dark:text-slate-400 ${inRow ? 'w-0 min-w-full [overflow-wrap:anywhere]' : ''}` : 'sr-only'}>
          {disabledReason}
        </span>
      ) : null}
      {inRow ? null : <ActionResult state={action.state} compact />}
    </div>
  );
}
