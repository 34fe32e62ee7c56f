'use client';
// Migrate a VM to another host (vSphere Client: Actions > Migrate > Change compute resource only): vMotion while it
// runs, a cold migration while it is off. Shown only for a VM in the running vCenter's inventory, where it applies.
import { useState } from 'react';
import type { Lab, LabView, VmView } from '@/machines/lab-types';
import { ActionButton } from '../../components/action-feedback/action-button';
import { hostStateWords } from '../../format';
import { ActionRow, InlineSelect, Section } from '../page-parts';

export function MigrateVm(props: { lab: Lab; view: LabView; vm: VmView; blocked: string | null; stateKey: string }) {
  const { lab, view, vm, blocked, stateKey } = props;
  const vc = view.vcenter;
  const targets = view.hosts.filter((h) => vc?.hostIds.includes(h.id) && h.id !== vm.hostId);
  const [chosen, setChosen] = useState('');
  if (!vc || !vm.registered) return null;
  const hostId = targets.some((h) => h.id === chosen) ? chosen : (targets[0]?.id ?? '');
  const running = vm.power === 'on';
  return (
    <Section
      title="Migrate"
      description={
        running
          ? `vMotion moves ${vm.name} to another host while it keeps running.${vm.encryption ? ' It is encrypted, so it moves by encrypted vMotion, and vCenter first gives the destination host its key (fetched from the KMS by its ID, or for the Native Key Provider derived from the KDK it pushes and the key ID); where the key cannot get there, vSphere refuses and the VM stays where it is.' : ''}`
          : `${vm.name} is powered off: a cold migration registers it on another host; its key is needed only when it powers on there.`
      }
    >
      <ActionRow label="Migrate">
        {targets.length > 0 ? (
          <InlineSelect
            label="Destination host"
            value={hostId}
            onChange={setChosen}
            options={targets.map((h) => {
              const words = hostStateWords(h);
              return { value: h.id, label: words.length > 0 ? `${h.name} (${words.join(', ')})` : h.name };
            })}
          />
        ) : null}
        <ActionButton
          stateKey={stateKey}
          variant="primary"
          run={() => lab.dispatch({ type: 'vm.migrate', vmId: vm.id, hostId })}
          disabledReason={blocked ?? (targets.length === 0 ? `No other host in ${vc.name} to migrate to.` : null)}
        >
          Migrate
        </ActionButton>
      </ActionRow>
    </Section>
  );
}
