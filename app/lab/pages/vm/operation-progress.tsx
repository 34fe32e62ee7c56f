'use client';
// Progress of a VM's long operation (encrypt, decrypt, deep re-key), read from vm.operation; an interrupted run
// (closed tab, crash) says so and can be resumed from its journal.
import type { Lab, VmView } from '@/machines/lab-types';
import { ActionButton } from '../../components/action-feedback/action-button';
import { ProgressBar } from '../../components/ui/progress-bar';

const names = { encrypt: 'Encrypting', decrypt: 'Decrypting', rekeyDeep: 'Deep re-key' } as const;

export function OperationProgress({ lab, vm }: { lab: Lab; vm: VmView }) {
  const op = vm.operation;
  if (!op) return null;
  const pct = op.total > 0 ? Math.floor((op.done / op.total) * 100) : 0;
  return (
    <div className="mb-4 flex flex-col gap-2 rounded border border-blue-300 bg-blue-50 p-3 dark:border-blue-700 dark:bg-blue-950" data-testid="vm-operation">
      <ProgressBar
        label={`${names[op.kind]} ${vm.name}${op.interrupted ? ' (interrupted)' : ''}`}
        value={op.done}
        max={op.total}
        tone={op.interrupted ? 'warning' : 'info'}
        valueText={`${pct}% — ${op.done.toLocaleString('en')} of ${op.total.toLocaleString('en')}`}
      />
      {op.interrupted ? (
        <div className="flex flex-wrap items-start gap-2 text-sm">
          <p className="flex-1 text-slate-800 dark:text-slate-200">
            The run stopped halfway (the tab closed or the browser crashed). Its journal knows which sectors are done; resuming
            carries on from there without losing a byte.
          </p>
          <ActionButton
            variant="primary"
            run={async () => {
              await lab.resumeInterrupted();
              return { ok: true, message: 'Resumed.' };
            }}
          >
            Resume
          </ActionButton>
        </div>
      ) : null}
    </div>
  );
}
