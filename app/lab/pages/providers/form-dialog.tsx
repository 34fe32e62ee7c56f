'use client';
// A dialog holding a form: Enter submits, the refusal shows inside the dialog (role=alert) and the dialog stays open
// with everything the learner typed; a success closes it and is shown beside the button that opened it.
import { useId, useState, type ReactNode } from 'react';
import type { CommandResult } from '@/machines/lab-types';
import { ActionResult } from '../../components/action-feedback/action-result';
import type { UseAction } from '../../components/action-feedback/use-action';
import { Button, type ButtonVariant } from '../../components/ui/button';
import { Dialog, type DialogProps } from '../../components/ui/dialog';

export interface FormDialogProps extends Omit<DialogProps, 'footer'> {
  submitLabel: string;
  submitVariant?: ButtonVariant;
  /** Why the form cannot be submitted yet (shown beside the submit button), or null. */
  submitDisabledReason?: string | null;
  action: UseAction;
  onSubmit: () => Promise<CommandResult>;
  /** Shown under the outcome (e.g. what to do about a refusal). */
  afterResult?: ReactNode;
}

export function FormDialog(props: FormDialogProps) {
  const { submitLabel, submitVariant, submitDisabledReason, action, onSubmit, children, afterResult, ...dialog } = props;
  const formId = useId();
  const reason = action.running ? 'Working…' : (submitDisabledReason ?? null);
  return (
    <Dialog
      {...dialog}
      footer={
        // items-start: the submit button's reason (beneath it) must not stretch Cancel to its height.
        <div className="flex items-start gap-2">
          <Button onClick={dialog.onClose}>Cancel</Button>
          <Button type="submit" form={formId} variant={submitVariant ?? 'primary'} disabledReason={reason}>
            {submitLabel}
          </Button>
        </div>
      }
    >
      <form
        id={formId}
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (reason) return;
          void action.run(onSubmit).then((r) => {
            if (r.ok) dialog.onClose();
          });
        }}
      >
        {children}
        <div aria-live="polite">{dialog.open ? <ActionResult state={action.state} /> : null}</div>
        {afterResult}
      </form>
    </Dialog>
  );
}

/** The button that opens a FormDialog, with the dialog's last outcome beneath it once the dialog is closed. */
export function FormDialogButton({
  label,
  variant,
  disabledReason,
  onClosed,
  ...dialog
}: Omit<FormDialogProps, 'open' | 'onClose'> & {
  label: ReactNode;
  variant?: ButtonVariant;
  disabledReason: string | null;
  /** After the dialog closes (cancelled or done): forget what should not linger, such as a password. */
  onClosed?: () => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <div className="flex max-w-xs flex-col items-start gap-1">
      <Button size="sm" variant={variant} disabledReason={disabledReason} onClick={() => setOpen(true)}>
        {label}
      </Button>
      {!open ? <ActionResult state={dialog.action.state} compact /> : null}
      <FormDialog
        {...dialog}
        open={open}
        onClose={() => {
          setOpen(false);
          onClosed?.();
        }}
      />
    </div>
  );
}
