'use client';
// A VM's actions as the vSphere Client groups them: power, migrate (vMotion), VM encryption (encrypt, decrypt, shallow
// or deep re-key with a chosen provider), vTPM, snapshots, inventory (unregister asks first). Obvious impossibilities
// are disabled with their reason; the domain rules (VM must be off, no snapshots, a vCenter, ...) are left to the lab,
// whose refusal shows beside the button.
import { useId, useState } from 'react';
import { disabledReason as ruleReason } from '@/machines/commands/preconditions';
import type { Lab, LabCommand, LabView, RefusalCode, VmView } from '@/machines/lab-types';
import { ActionButton } from '../../components/action-feedback/action-button';
import { ConfirmedActionButton } from '../../components/action-feedback/confirmed-action-button';
import { ActionRow, LABEL_CLASS, Section } from '../page-parts';
import { MigrateVm } from './migrate-vm';
import { ProviderSelect } from './provider-select';

/** What the VM's action outcomes describe: when any of it changes, an older outcome no longer applies. */
function vmStateKey(vm: VmView): string {
  return [vm.power, vm.hostId, vm.registered, vm.encryption?.keyId ?? '', vm.encryption?.providerId ?? '', vm.locked?.reason ?? '', vm.vtpm, vm.snapshots].join('|');
}

export function VmActions({ lab, view, vm }: { lab: Lab; view: LabView; vm: VmView }) {
  const [encryptWith, setEncryptWith] = useState('');
  const [rekeyWith, setRekeyWith] = useState('');
  const [rekeyDepth, setRekeyDepth] = useState<'shallow' | 'deep'>('shallow');
  const depthName = useId();
  const vmId = vm.id;

  // Only what the page can see for itself; vSphere's own rules (VM off, no vCenter, not registered, privileges) are
  // the lab's to refuse, with its wording, beside the button.
  const blocked = vm.operation && !vm.operation.interrupted ? 'An operation is running on this VM.' : null;
  const or = (reason: string | null) => blocked ?? reason;
  // The lab's own rule and wording, for the refusals that mean there is nothing to do.
  const unless = (command: LabCommand, ...codes: RefusalCode[]) => or(ruleReason(view, command, codes));
  const stateKey = vmStateKey(vm);

  return (
    <>
      <Section title="Power">
        <ActionRow label="Power">
          <ActionButton
            variant="primary"
            stateKey={stateKey}
            run={() => lab.dispatch({ type: 'vm.powerOn', vmId })}
            disabledReason={unless({ type: 'vm.powerOn', vmId }, 'ALREADY_ON')}
          >
            Power on
          </ActionButton>
          <ActionButton stateKey={stateKey} run={() => lab.dispatch({ type: 'vm.powerOff', vmId })} disabledReason={unless({ type: 'vm.powerOff', vmId }, 'ALREADY_OFF')}>
            Power off
          </ActionButton>
        </ActionRow>
      </Section>

      <MigrateVm lab={lab} view={view} vm={vm} blocked={blocked} stateKey={stateKey} />

      <Section title="VM encryption">
        <div className="flex flex-col gap-3">
          <ActionRow label="Encrypt and decrypt">
            <div className="flex flex-wrap items-start gap-2">
              <ProviderSelect view={view} value={encryptWith} onChange={setEncryptWith} label="Key provider for encryption" />
              <ActionButton
                stateKey={stateKey}
                variant="primary"
                run={() => lab.dispatch({ type: 'vm.encrypt', vmId, ...(encryptWith ? { providerId: encryptWith } : {}) })}
                disabledReason={unless({ type: 'vm.encrypt', vmId }, 'ALREADY_ENCRYPTED')}
              >
                Encrypt
              </ActionButton>
            </div>
            <ActionButton stateKey={stateKey} run={() => lab.dispatch({ type: 'vm.decrypt', vmId })} disabledReason={unless({ type: 'vm.decrypt', vmId }, 'NOT_ENCRYPTED')}>
              Decrypt
            </ActionButton>
          </ActionRow>
          <ActionRow label="Re-key">
            <div role="radiogroup" aria-label="Re-key depth" className="flex flex-wrap items-center gap-x-3 gap-y-1 pt-1 text-sm">
              <span aria-hidden="true" className={`${LABEL_CLASS} text-xs`}>
                Re-key depth
              </span>
              <label className="flex items-center gap-1">
                <input type="radio" name={depthName} checked={rekeyDepth === 'shallow'} onChange={() => setRekeyDepth('shallow')} />
                Shallow (new KEK)
              </label>
              <label className="flex items-center gap-1">
                <input type="radio" name={depthName} checked={rekeyDepth === 'deep'} onChange={() => setRekeyDepth('deep')} />
                Deep (new KEK and DEK)
              </label>
            </div>
            <ProviderSelect view={view} value={rekeyWith} onChange={setRekeyWith} label="Key provider for the new KEK" />
            <div>
              <ActionButton
                stateKey={stateKey}
                run={() =>
                  lab.dispatch({
                    type: rekeyDepth === 'deep' ? 'vm.rekeyDeep' : 'vm.rekeyShallow',
                    vmId,
                    ...(rekeyWith ? { providerId: rekeyWith } : {}),
                  })
                }
                disabledReason={unless({ type: rekeyDepth === 'deep' ? 'vm.rekeyDeep' : 'vm.rekeyShallow', vmId }, 'NOT_ENCRYPTED')}
              >
                {rekeyDepth === 'deep' ? 'Deep re-key' : 'Shallow re-key'}
              </ActionButton>
            </div>
          </ActionRow>
          <p className="text-xs text-slate-700 dark:text-slate-300">
            Shallow: the DEK is rewrapped with a new KEK, no disk data is rewritten, the VM may stay on (in the vSphere Client: VM
            Policies &gt; Re-encrypt). Deep: a new DEK too, every sector is decrypted and encrypted again; the VM must be off. The
            vSphere Client has no deep re-key button: PowerCLI does it (Set-VMEncryptionKey -Deep, in the community
            VMware.VMEncryption module), or decrypt and encrypt again. (The lab encrypts sectors with AES-256-GCM; real ESXi
            uses XTS-AES-256, which WebCrypto lacks.)
          </p>
        </div>
      </Section>

      <Section title="vTPM, snapshots, inventory">
        <ActionRow label="Other VM actions">
          <ActionButton stateKey={stateKey} run={() => lab.dispatch({ type: 'vm.addVtpm', vmId })} disabledReason={unless({ type: 'vm.addVtpm', vmId }, 'VTPM_PRESENT')}>
            Add vTPM
          </ActionButton>
          <ActionButton stateKey={stateKey} run={() => lab.dispatch({ type: 'vm.removeVtpm', vmId })} disabledReason={unless({ type: 'vm.removeVtpm', vmId }, 'NO_VTPM')}>
            Remove vTPM
          </ActionButton>
          <ActionButton stateKey={stateKey} run={() => lab.dispatch({ type: 'vm.takeSnapshot', vmId })} disabledReason={blocked}>
            Take snapshot
          </ActionButton>
          <ActionButton
            stateKey={stateKey}
            run={() => lab.dispatch({ type: 'vm.deleteSnapshots', vmId })}
            disabledReason={or(vm.snapshots === 0 ? 'No snapshots to delete.' : null)}
          >
            Delete all snapshots
          </ActionButton>
          <ActionButton stateKey={stateKey} run={() => lab.dispatch({ type: 'vm.unlock', vmId })} disabledReason={unless({ type: 'vm.unlock', vmId }, 'NOT_LOCKED')}>
            Unlock VM
          </ActionButton>
          <ConfirmedActionButton
            stateKey={stateKey}
            title={`Unregister ${vm.name}?`}
            description={`vCenter forgets ${vm.name}: it leaves the inventory and the key database no longer lists its key.`}
            details={
              <p className="text-sm">
                Its files (the .vmx, the encrypted disk and the wrapped keys in them) stay on {view.datastores.find((d) => d.id === vm.datastoreId)?.name ?? vm.datastoreId} in
                folder {vm.folder}. Register it again from the datastore to bring it back.
              </p>
            }
            confirmLabel="Unregister"
            runningLabel="Unregistering…"
            run={() => lab.dispatch({ type: 'vm.unregister', vmId })}
            disabledReason={blocked}
          >
            Unregister…
          </ConfirmedActionButton>
        </ActionRow>
      </Section>
    </>
  );
}
