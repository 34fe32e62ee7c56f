'use client';
// A button that runs one lab action and shows its outcome beneath itself, so a refusal reads next to its cause.
import type { ReactNode } from 'react';
import type { CommandResult } from '@/machines/lab-types';
import { Button, type ButtonVariant } from '../ui/button';
import { ActionResult } from './action-result';
import { useAction } from './use-action';

export interface ActionButtonProps {
  children: ReactNode;
  run: () => Promise<CommandResult>;
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
  disabledReason?: string | null;
  /** Called after the action succeeded (e.g. to navigate away from an object that is gone). */
  onSuccess?: (result: CommandResult) => void;
  title?: string;
}

export function ActionButton({ children, run, variant = 'secondary', size = 'sm', disabledReason, onSuccess, title }: ActionButtonProps) {
  const action = useAction();
  return (
    <div className="flex max-w-xs flex-col items-start gap-1">
      <Button
        variant={variant}
        size={size}
        title={title}
        aria-busy={action.running || undefined}
        disabledReason={disabledReason ?? null}
        onClick={() => {
          if (action.running) return;
          void action.run(run).then((r) => {
            if (r.ok) onSuccess?.(r);
          });
        }}
      >
        {children}
      </Button>
      <ActionResult state={action.state} compact />
    </div>
  );
}
