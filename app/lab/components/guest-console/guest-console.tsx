'use client';
// The guest console: the learner writes and reads text files on the VM's virtual disk. The files really live in the
// disk's sectors (encrypted when the VM is), so what is written here is what the sector view and the datastore hold.
import { useId, useState } from 'react';
import type { Lab, LabView, VmView } from '@/machines/lab-types';
import { ActionResult } from '../action-feedback/action-result';
import { useAction } from '../action-feedback/use-action';
import { useAsyncRead } from '../datastore-browser/use-async-read';
import { Button } from '../ui/button';
import { PickList } from '../ui/pick-list';

const INPUT =
  'rounded border border-slate-400 bg-white px-2 py-1 text-sm text-slate-900 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100';
const LABEL = 'text-sm font-medium text-slate-800 dark:text-slate-200';

/** What in the view can change what the guest sees (its power, keys, a finished operation), never the clock. */
function guestRevision(vm: VmView): string {
  return JSON.stringify([vm.id, vm.power, vm.hostId, vm.encryption?.keyId, vm.encryption?.dekFingerprint, vm.locked?.reason, vm.operation?.kind]);
}

function OpenFile({ lab, vm, name, revision }: { lab: Lab; vm: VmView; name: string; revision: string }) {
  const [read, retry] = useAsyncRead<string>(`${revision}\u0000${name}`, () => lab.readGuestFile(vm.id, name));
  const regionLabel = `Contents of ${name}`;
  if (!read || read.status === 'loading') return <p className="text-sm text-slate-700 dark:text-slate-300">Reading {name}…</p>;
  if (read.status === 'error') {
    return (
      <div>
        <p role="alert" className="text-sm text-red-800 dark:text-red-300">
          Could not read {name}: {read.message}
        </p>
        <Button size="sm" onClick={retry}>
          Try again
        </Button>
      </div>
    );
  }
  return (
    <pre
      role="region"
      aria-label={regionLabel}
      tabIndex={0}
      data-testid="guest-file-content"
      className="max-h-64 overflow-auto rounded border border-slate-300 bg-slate-950 p-2 font-mono text-xs whitespace-pre-wrap text-green-200 dark:border-slate-600"
    >
      {read.value}
    </pre>
  );
}

export function GuestConsole(props: { lab: Lab; vm: VmView; view: LabView }) {
  const { lab, vm } = props;
  const [writes, setWrites] = useState(0);
  const [openName, setOpenName] = useState<string | null>(null);
  const [name, setName] = useState('notes.txt');
  const [text, setText] = useState('');
  const save = useAction();
  const nameId = useId();
  const textId = useId();
  const running = vm.power === 'on' && !vm.locked;
  const revision = `${guestRevision(vm)}\u0000${writes}`;
  const [files, retryFiles] = useAsyncRead<{ name: string; size: number }[]>(running ? revision : null, () => lab.listGuestFiles(vm.id));

  if (!running) {
    return (
      <p className="text-sm text-slate-800 dark:text-slate-200">
        {vm.locked
          ? 'The VM is locked: its disk cannot be read until its key is back and it is unlocked.'
          : 'Power on the VM to use its guest OS. (Its disk is still on the datastore: see Disk sectors and Files.)'}
      </p>
    );
  }
  const list = files?.status === 'ready' ? files.value : files?.previous;

  return (
    <section aria-label={`Guest console of ${vm.name}`} className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <div className="flex flex-col gap-2">
        <h3 className="text-sm font-semibold">Files on the guest disk</h3>
        {files?.status === 'error' ? (
          <div>
            <p role="alert" className="text-sm text-red-800 dark:text-red-300">
              Could not list the guest’s files: {files.message}
            </p>
            <Button size="sm" onClick={retryFiles}>
              Try again
            </Button>
          </div>
        ) : !list ? (
          <p className="text-sm">Listing files…</p>
        ) : list.length === 0 ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">No files yet. Write one.</p>
        ) : (
          <PickList
            label="Guest files"
            items={list}
            keyOf={(f) => f.name}
            current={openName}
            onPick={(f) => setOpenName(f.name)}
            buttonClassName="flex w-full justify-between gap-2 rounded px-2 py-1 text-left text-sm"
            idleClassName="hover:bg-slate-200 dark:hover:bg-slate-800"
          >
            {(f) => (
              <>
                <span className="font-mono">{f.name}</span>
                <span className="text-xs">{f.size} B</span>
              </>
            )}
          </PickList>
        )}
        {openName ? <OpenFile lab={lab} vm={vm} name={openName} revision={revision} /> : null}
      </div>

      <form
        className="flex flex-col gap-2"
        aria-label="Write a file"
        onSubmit={(e) => {
          e.preventDefault();
          if (save.running) return;
          const fileName = name.trim();
          void save.run(() => lab.dispatch({ type: 'guest.writeFile', vmId: vm.id, name: fileName, text })).then((r) => {
            if (!r.ok) return;
            setWrites((w) => w + 1);
            setOpenName(fileName);
          });
        }}
      >
        <h3 className="text-sm font-semibold">Write a file</h3>
        <label htmlFor={nameId} className={LABEL}>
          File name
        </label>
        <input id={nameId} className={INPUT} value={name} onChange={(e) => setName(e.target.value)} maxLength={64} />
        <label htmlFor={textId} className={LABEL}>
          Text
        </label>
        <textarea id={textId} className={`${INPUT} font-mono`} rows={5} value={text} onChange={(e) => setText(e.target.value)} />
        <div>
          <Button type="submit" variant="primary" size="sm" disabledReason={name.trim() === '' ? 'Enter a file name.' : save.running ? 'Saving…' : null}>
            Save file
          </Button>
        </div>
        <ActionResult state={save.state} />
      </form>
    </section>
  );
}
