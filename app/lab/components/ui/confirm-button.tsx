'use client';
// A button that asks first: it opens a dialog saying what will be lost, and only its danger button acts. Serves
// "Reset lab…" and "Restart lesson…", which throw work away and must never do it on one click.
import { useState } from 'react';
import { Button, type ButtonVariant } from './button';
import { ConfirmDialog, type ConfirmDialogProps } from './confirm-dialog';

type ConfirmButtonProps = Omit<ConfirmDialogProps, 'open' | 'onClose' | 'busyReason' | 'description'> & {
  /** The opener's label, ending in "…" (it asks before acting). */
  label: string;
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
  description: string;
};

export function ConfirmButton({ label, variant, size, onConfirm, ...ask }: ConfirmButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size={size ?? 'sm'} variant={variant ?? 'secondary'} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <ConfirmDialog
        {...ask}
        open={open}
        onClose={() => setOpen(false)}
        onConfirm={() => {
          setOpen(false);
          onConfirm();
        }}
      />
    </>
  );
}
