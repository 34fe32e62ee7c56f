'use client';
// A button that asks first: it opens a dialog saying what will be lost, and only its danger button acts. Serves
// "Reset lab…" and "Restart lesson…", which throw work away and must never do it on one click.
import { useState, type ReactNode } from 'react';
import { Button, type ButtonVariant } from './button';
import { Dialog } from './dialog';

export function ConfirmButton(props: {
  /** The opener's label, ending in "…" (it asks before acting). */
  label: string;
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
  title: string;
  description: string;
  confirmLabel: string;
  onConfirm: () => void;
  children?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size={props.size ?? 'sm'} variant={props.variant ?? 'secondary'} onClick={() => setOpen(true)}>
        {props.label}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={props.title}
        description={props.description}
        footer={
          <>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button
              variant="danger"
              onClick={() => {
                setOpen(false);
                props.onConfirm();
              }}
            >
              {props.confirmLabel}
            </Button>
          </>
        }
      >
        {props.children}
      </Dialog>
    </>
  );
}
