'use client';
// A destructive lab action that asks first: the button opens a dialog saying what will be lost, Cancel keeps
// everything, and the confirm button runs the action. Its outcome shows beneath the button, as ActionButton's does.
import { useId, useState, type ReactNode } from 'react';
import type { CommandResult } from '@/machines/lab-types';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { ActionResult } from './action-result';
import { useOutcomeSlot } from './outcome-slot';
import { useAction } from './use-action';

export interface ConfirmedActionButtonProps {
  /** What the button says (end it with "…": it opens a dialog). */
  children: ReactNode;
  /** The button's accessible name when its text alone would not say which object it acts on. */
  ariaLabel?: string;
  disabledReason?: string | null;
  /** The dialog: its title, a one-line description read out on opening, and anything more. */
  title: string;
  description?: ReactNode;
  details?: ReactNode;
  confirmLabel: string;
  runningLabel: string;
  run: () => Promise<CommandResult>;
  onSuccess?: () => void;
  /** The state the outcome describes; when it changes, the outcome clears. */
  stateKey?: string;
}

export function ConfirmedActionButton(props: ConfirmedActionButtonProps) {
  const [open, setOpen] = useState(false);
  const action = useAction(props.stateKey ?? props.disabledReason ?? '');
  const owner = useId();
  const inRow = useOutcomeSlot(owner, open ? { status: 'idle' } : action.state);
  return (
    <div className="flex max-w-xs flex-col items-start gap-1">
      <Button variant="danger" size="sm" disabledReason={props.disabledReason ?? null} onClick={() => setOpen(true)} aria-label={props.ariaLabel}>
        {props.children}
      </Button>
      {!open && !inRow ? <ActionResult state={action.state} compact /> : null}
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        title={props.title}
        description={props.description}
        confirmLabel={props.confirmLabel}
        busyReason={action.running ? props.runningLabel : null}
        onConfirm={() => {
          void action.run(props.run).then((result) => {
            setOpen(false);
            if (result.ok) props.onSuccess?.();
          });
        }}
      >
        {props.details}
      </ConfirmDialog>
    </div>
  );
}
