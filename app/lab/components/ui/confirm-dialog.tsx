'use client';
// The dialog every action that asks first opens: it says what will be lost, Cancel keeps everything, and only its
// danger button acts. ConfirmButton (Reset lab…, Restart lesson…) and ConfirmedActionButton (lab commands) open it.
import type { ReactNode } from 'react';
import { Button } from './button';
import { Dialog, type DialogProps } from './dialog';

export type ConfirmDialogProps = Omit<DialogProps, 'footer' | 'children'> & {
  confirmLabel: string;
  /** While the action runs, the danger button is disabled with this reason (e.g. "Deleting…"). */
  busyReason?: string | null;
  onConfirm: () => void;
  children?: ReactNode;
};

export function ConfirmDialog({ confirmLabel, busyReason, onConfirm, children, ...dialog }: ConfirmDialogProps) {
  return (
    <Dialog
      {...dialog}
      footer={
        <>
          <Button onClick={dialog.onClose}>Cancel</Button>
          <Button variant="danger" disabledReason={busyReason ?? null} reasonHidden onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}
