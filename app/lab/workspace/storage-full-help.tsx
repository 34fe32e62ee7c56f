'use client';
// Shown with "storage is full": the other labs' data this browser holds, each with its size and a Delete (after a
// confirmation), so the advice in the message is something the lab itself lets the learner do.
import { useCallback, useEffect, useState } from 'react';
import type { CommandResult } from '@/machines/lab-types';
import type { StoredLabData } from '@/machines/session/storage-space';
import { ConfirmedActionButton } from '../components/action-feedback/confirmed-action-button';
import { formatBytes } from '../format';

const loadSpace = () => import('@/machines/session/storage-space');

export function StorageFullHelp() {
  const [others, setOthers] = useState<StoredLabData[] | null>(null);
  const refresh = useCallback(() => {
    void loadSpace()
      .then((space) => space.otherLabData())
      .then(setOthers, () => setOthers([]));
  }, []);
  useEffect(refresh, [refresh]);
  if (others === null) return null;
  if (others.length === 0) {
    return <div>No other lab’s data is stored in this browser: “Reset lab…” in the header frees this lab’s space.</div>;
  }
  return (
    <div className="mt-1">
      <div className="font-semibold">Other labs’ data in this browser:</div>
      <ul aria-label="Other labs’ data" className="mt-1 flex flex-col gap-1">
        {others.map((other) => (
          <li key={other.name} className="flex flex-wrap items-center gap-2">
            <span>
              {other.name} ({formatBytes(other.sizeBytes)})
            </span>
            <ConfirmedActionButton
              ariaLabel={`Delete ${other.name}…`}
              title={`Delete ${other.name}?`}
              description={`Its datastores, disks, keys and saved state (${formatBytes(other.sizeBytes)}) are deleted from this browser. The open lab is not touched.`}
              confirmLabel="Delete"
              runningLabel="Deleting…"
              onSuccess={refresh}
              run={async (): Promise<CommandResult> => {
                try {
                  await (await loadSpace()).deleteOtherLabData(other.name);
                  return { ok: true, message: `${other.name} deleted: ${formatBytes(other.sizeBytes)} freed.` };
                } catch (error) {
                  console.error('keylab: deleting lab data failed', error);
                  return { ok: false, code: 'FAILED', reason: `${other.name} could not be deleted (another tab may be using it). Close it there and try again.` } as CommandResult;
                }
              }}
            >
              Delete…
            </ConfirmedActionButton>
          </li>
        ))}
      </ul>
    </div>
  );
}
