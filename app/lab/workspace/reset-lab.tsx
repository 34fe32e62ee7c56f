'use client';
// "Reset lab": throws the whole lab away and starts again from the initial world, only after the learner confirms.
import { useState } from 'react';
import { Button } from '../components/ui/button';
import { Dialog } from '../components/ui/dialog';

export function ResetLab({ onReset, size = 'sm' }: { onReset: () => void; size?: 'sm' | 'md' }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size={size} variant="secondary" onClick={() => setOpen(true)}>
        Reset lab…
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Reset the lab?"
        description="Everything in this lab is destroyed and the starting datacenter comes back: vCenter, hosts, KMS nodes, VMs, their disks and guest files, every key, and the event log. This cannot be undone. NKP backups you downloaded stay on your computer."
        footer={
          <>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button
              variant="danger"
              onClick={() => {
                setOpen(false);
                onReset();
              }}
            >
              Reset lab
            </Button>
          </>
        }
      >
        <p className="text-sm text-slate-700 dark:text-slate-300">Your place in the lab (the open page and theme) is kept.</p>
      </Dialog>
    </>
  );
}
