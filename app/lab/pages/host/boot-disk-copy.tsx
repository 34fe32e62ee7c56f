'use client';
// The fault "Copy a host's boot disk" (the attacker's view): pick a VM whose folder the attacker also copies from the
// datastore, run it, and see what the copies gave away: the KDK and the VM's guest files (a host without a TPM), or
// nothing (the configuration key sealed by a TPM that stayed in the host).
import { useState } from 'react';
import { disabledReason as ruleReason } from '@/machines/commands/preconditions';
import type { HostView, Lab, LabView } from '@/machines/lab-types';
import { ActionButton } from '../../components/action-feedback/action-button';
import { Badge } from '../../components/ui/badge';
import { ActionRow, Facts, InlineSelect, Mono, Section } from '../page-parts';

export function BootDiskCopyFault({ lab, view, host }: { lab: Lab; view: LabView; host: HostView }) {
  const encrypted = view.vms.filter((vm) => vm.encryption);
  const [picked, setPicked] = useState('');
  const vmId = picked || (encrypted.find((vm) => vm.hostId === host.id) ?? encrypted[0])?.id || '';
  const command = { type: 'host.copyBootDisk' as const, hostId: host.id, vmId };
  const why = encrypted.length === 0 ? 'No VM has encrypted disks: there is nothing for the copy to break.' : ruleReason(view, command, ['NOT_ENCRYPTED', 'NO_SUCH_VM']);
  return (
    <ActionRow label="Attacker">
      {encrypted.length > 0 ? (
        <InlineSelect label="VM folder copied from the datastore" value={vmId} onChange={setPicked} options={encrypted.map((vm) => ({ value: vm.id, label: vm.name }))} />
      ) : null}
      <ActionButton variant="danger" run={() => lab.dispatch(command)} disabledReason={why} stateKey={vmId}>
        Copy the boot disk
      </ActionButton>
    </ActionRow>
  );
}

export function BootDiskCopyResult({ host }: { host: HostView }) {
  const copy = host.bootDiskCopy;
  if (!copy) return null;
  return (
    <Section title="The attacker’s copy of the boot disk" description="What the copy of this host’s boot disk, and of one VM’s folder on the datastore, gave away when worked on elsewhere.">
      <div data-testid="boot-disk-copy-result" className={`flex flex-col gap-2 rounded border p-3 ${copy.decrypted ? 'border-red-400 bg-red-50 dark:border-red-700 dark:bg-red-950' : 'border-emerald-500 bg-emerald-50 dark:border-emerald-700 dark:bg-emerald-950'}`}>
        <p className="text-sm font-semibold text-slate-950 dark:text-white">
          {copy.decrypted ? `The KDK came out of the copy, and ${copy.vmName}'s disk decrypts.` : `Nothing came out: ${copy.vmName}'s disk stays ciphertext.`}
        </p>
        <p className="text-sm text-slate-800 dark:text-slate-200">{copy.outcome}</p>
        <Facts
          items={[
            ['KDKs recovered', copy.recoveredKdkIds.length ? <span className="flex flex-col">{copy.recoveredKdkIds.map((id) => <Mono key={id}>{id}</Mono>)}</span> : 'None'],
            ['VM disk copied', copy.vmName],
            ['Decrypted', copy.decrypted ? <Badge tone="danger">Yes</Badge> : <Badge tone="success">No</Badge>],
          ]}
        />
        {copy.guestFile ? (
          <div className="flex flex-col gap-1">
            <p className="text-sm text-slate-800 dark:text-slate-200">
              First guest file read from the copied disk: <Mono>{copy.guestFile.name}</Mono>
            </p>
            <pre data-testid="boot-disk-copy-plaintext" className="max-w-full overflow-x-auto rounded border border-slate-300 bg-white p-2 text-xs whitespace-pre-wrap text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100">
              {copy.guestFile.excerpt}
            </pre>
          </div>
        ) : null}
      </div>
    </Section>
  );
}
