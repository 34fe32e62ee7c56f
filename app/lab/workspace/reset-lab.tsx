'use client';
// "Reset lab": throws the whole lab away and starts again from the initial world, only after the learner confirms.
import { ConfirmButton } from '../components/ui/confirm-button';

export function ResetLab({ onReset, size = 'sm' }: { onReset: () => void; size?: 'sm' | 'md' }) {
  return (
    <ConfirmButton
      label="Reset lab…"
      size={size}
      title="Reset the lab?"
      description="Everything in this lab is destroyed and the starting datacenter comes back: vCenter, hosts, KMS nodes, VMs, their disks and guest files, every key, and the event log. This cannot be undone. NKP backups you downloaded stay on your computer."
      confirmLabel="Reset lab"
      onConfirm={onReset}
    >
      <p className="text-sm text-slate-700 dark:text-slate-300">Your place in the lab (the open page and theme) is kept.</p>
    </ConfirmButton>
  );
}
