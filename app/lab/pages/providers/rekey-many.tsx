'use client';
// Shallow re-key of several VMs in one task: how a migration from a KMS to the Native Key Provider is done (every VM
// gets a new KEK from the chosen provider; no disk data is rewritten; running VMs may stay on). VMs already on the
// chosen provider are skipped, and the page says which.
import { useId, useState } from 'react';
import type { Lab, LabView } from '@/machines/lab-types';
import { ActionButton } from '../../components/action-feedback/action-button';
import { Button } from '../../components/ui/button';
import { ProviderSelect } from '../vm/provider-select';
import { LABEL_CLASS } from '../page-parts';

export function RekeyMany({ lab, view }: { lab: Lab; view: LabView }) {
  const registered = new Set(view.vcenter?.registeredVmIds ?? []);
  const candidates = view.vms.filter((vm) => vm.encryption && registered.has(vm.id));
  const [chosen, setChosen] = useState<string[]>([]);
  const [providerId, setProviderId] = useState('');
  const idBase = useId();
  const selected = chosen.filter((id) => candidates.some((vm) => vm.id === id));
  const targetId = providerId || view.vcenter?.defaultProviderId || '';
  const targetName = view.vcenter?.keyProviders.find((p) => p.id === targetId)?.name ?? targetId;
  const onTarget = (vmId: string) => candidates.find((vm) => vm.id === vmId)?.encryption?.providerId === targetId;
  const skipped = selected.filter(onTarget);
  const toMove = selected.filter((id) => !onTarget(id));
  const nameOf = (vmId: string) => candidates.find((vm) => vm.id === vmId)?.name ?? vmId;
  const skippedText = skipped.length > 0 ? `${skipped.map(nameOf).join(', ')} ${skipped.length === 1 ? 'is' : 'are'} already on ${targetName}` : '';
  const toggle = (vmId: string, on: boolean) => setChosen((list) => (on ? [...list, vmId] : list.filter((id) => id !== vmId)));

  if (candidates.length === 0) return <p className="text-sm text-slate-700 dark:text-slate-300">No encrypted VM is registered in this vCenter.</p>;
  return (
    <div className="flex flex-col gap-3">
      <fieldset className="flex flex-col gap-1">
        <legend className={`${LABEL_CLASS} mb-1`}>VMs to re-key</legend>
        {candidates.map((vm) => (
          <div key={vm.id} className="flex items-center gap-2 text-sm">
            <input
              id={`${idBase}-${vm.id}`}
              type="checkbox"
              checked={selected.includes(vm.id)}
              onChange={(e) => toggle(vm.id, e.target.checked)}
            />
            <label htmlFor={`${idBase}-${vm.id}`}>
              {vm.name} <span className="text-slate-700 dark:text-slate-300">— now {vm.encryption?.providerName}, {vm.power === 'on' ? 'powered on' : 'powered off'}</span>
            </label>
          </div>
        ))}
        <div className="mt-1 flex gap-2">
          <Button size="sm" onClick={() => setChosen(candidates.map((vm) => vm.id))} disabledReason={selected.length === candidates.length ? 'All are selected.' : null} reasonHidden>
            Select all
          </Button>
          <Button size="sm" onClick={() => setChosen([])} disabledReason={selected.length === 0 ? 'None is selected.' : null} reasonHidden>
            Select none
          </Button>
        </div>
      </fieldset>
      <div className="flex flex-wrap items-start gap-3">
        <ProviderSelect view={view} value={providerId} onChange={setProviderId} label="Key provider for the new KEKs" />
        <ActionButton
          variant="primary"
          run={async () => {
            const result = await lab.dispatch({ type: 'vm.rekeyShallowMany', vmIds: toMove, ...(providerId ? { providerId } : {}) });
            return result.ok && skippedText ? { ...result, message: `${result.message} Skipped: ${skippedText}.` } : result;
          }}
          disabledReason={selected.length === 0 ? 'Select at least one VM.' : toMove.length === 0 ? `Nothing to move: ${skippedText}.` : null}
        >
          {/* Counts the selection (the note below names any to be skipped), so the label stays put after the run. */}
          {`Shallow re-key ${selected.length === 1 ? '1 VM' : `${selected.length} VMs`}`}
        </ActionButton>
      </div>
      {skipped.length > 0 && toMove.length > 0 ? (
        <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="rekey-skipped">
          {skippedText}, so {skipped.length === 1 ? 'it is' : 'they are'} skipped: moving to the provider a VM already uses would
          only give it a new KEK. To do that, re-key it from its own page.
        </p>
      ) : null}
    </div>
  );
}
