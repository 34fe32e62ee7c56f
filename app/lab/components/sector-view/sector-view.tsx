'use client';
// The sector view: a disk's bytes as stored in IndexedDB (ciphertext when the VM is encrypted) beside the plaintext
// the host sees when it holds the keys. The two columns are read together from the lab, never made up here.
import { useId, useState, type ReactNode } from 'react';
import type { DiskSectorsView, Lab, LabView, VmView } from '@/machines/lab-types';
import { useAsyncRead } from '../datastore-browser/use-async-read';
import { Button } from '../ui/button';
import { HexDump } from './hex-dump';

const SECTOR_BYTES = 4096;
/** Where the guest file system keeps its directory (sector 0) and where file data starts (sector 8). */
const PRESETS = [
  { sector: 0, label: 'Directory (sector 0)' },
  { sector: 8, label: 'First file data (sector 8)' },
];

function sectorRevision(view: LabView, vm: VmView): string {
  // Events mark every change the lab makes (guest writes included); the clock is left out so ticking reads nothing.
  return JSON.stringify([vm.id, vm.encryption?.dekFingerprint, vm.power, vm.hostId, vm.locked?.reason, vm.operation?.done, view.events.length]);
}

function Column({ title, note, children }: { title: string; note: string; children: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <h4 className="text-sm font-semibold">{title}</h4>
      <p className="text-xs text-slate-700 dark:text-slate-300">{note}</p>
      {children}
    </div>
  );
}

export function SectorView(props: { lab: Lab; vm: VmView; view: LabView }) {
  const { lab, vm, view } = props;
  const sectors = Math.max(1, Math.floor(vm.diskSizeBytes / SECTOR_BYTES));
  const [sector, setSector] = useState(8 < sectors ? 8 : 0);
  const [draft, setDraft] = useState(String(sector));
  const inputId = useId();
  const [read, retry] = useAsyncRead<DiskSectorsView>(`${sector}\u0000${sectorRevision(view, vm)}`, () => lab.readDiskSectors(vm.id, sector, 1));
  const data = read?.status === 'ready' ? read.value : read?.previous;

  const go = (n: number) => {
    const clamped = Math.min(sectors - 1, Math.max(0, Math.floor(n)));
    setSector(clamped);
    setDraft(String(clamped));
  };

  return (
    <section aria-label={`Disk sectors of ${vm.name}`} className="@container flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-2">
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            const n = Number(draft);
            if (Number.isFinite(n)) go(n);
          }}
        >
          <div className="flex flex-col gap-0.5">
            <label htmlFor={inputId} className="text-xs font-medium">
              Sector (0–{sectors - 1}, 4 KiB each)
            </label>
            <input
              id={inputId}
              type="number"
              min={0}
              max={sectors - 1}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              className="w-28 rounded border border-slate-400 bg-white px-2 py-1 text-sm dark:border-slate-500 dark:bg-slate-900"
            />
          </div>
          <Button type="submit" size="sm">
            Show sector
          </Button>
        </form>
        {PRESETS.filter((p) => p.sector < sectors).map((p) => (
          <Button
            key={p.sector}
            size="sm"
            variant="ghost"
            onClick={() => go(p.sector)}
            aria-pressed={sector === p.sector}
            className={sector === p.sector ? 'underline decoration-2 underline-offset-4' : undefined}
          >
            {p.label}
          </Button>
        ))}
        <Button size="sm" variant="ghost" onClick={retry}>
          Read again
        </Button>
      </div>

      {read?.status === 'error' ? (
        <p role="alert" className="text-sm text-red-800 dark:text-red-300">
          Could not read sector {sector}: {read.message}
        </p>
      ) : null}
      {!data ? (
        <p className="text-sm">Reading sector {sector}…</p>
      ) : (
        <>
          <p className="text-sm" data-testid="sector-summary">
            Sector {sector}:{' '}
            {data.encrypted
              ? `encrypted (AES-256-GCM with its own nonce and tag; ${data.stored.length} bytes stored for ${SECTOR_BYTES} of data).`
              : 'not encrypted: stored exactly as the guest wrote it.'}
          </p>
          <div className="grid grid-cols-1 gap-3 @4xl:grid-cols-2">
            <Column
              title={data.encrypted ? 'As stored in IndexedDB (ciphertext)' : 'As stored in IndexedDB'}
              note="What the datastore (and anyone who copies it) holds."
            >
              <HexDump bytes={data.stored} label={`Sector ${sector} as stored`} baseOffset={0} testId="sector-stored" />
            </Column>
            <Column title="What the host sees (plaintext)" note="Decrypted with the DEK the host holds in memory.">
              {data.plaintext ? (
                <HexDump bytes={data.plaintext} label={`Sector ${sector} as plaintext`} baseOffset={sector * SECTOR_BYTES} testId="sector-plaintext" />
              ) : (
                <p className="rounded border border-amber-400 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-100" data-testid="sector-plaintext-unavailable">
                  No plaintext: {data.plaintextUnavailableReason ?? 'no host holds this disk’s key.'}
                </p>
              )}
            </Column>
          </div>
        </>
      )}
    </section>
  );
}
