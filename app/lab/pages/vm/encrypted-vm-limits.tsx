'use client';
// The operations an encrypted VM refuses, as actions on the VM page: clone, Export OVF Template, a snapshot with
// memory, Storage vMotion, the disk format, and the FT / vSphere Replication / content library switches. For an
// encrypted VM each is refused on click with the material's reason and what later vSphere changed (the lab follows
// the material); for a plain VM each does its work on the datastore.
import { useState } from 'react';
import { disabledReason } from '@/machines/commands/preconditions';
import { ENCRYPTED_VM_LIMITS } from '@/machines/commands/encrypted-vm-limits';
import type { DiskFormat, Lab, LabView, VmFeature, VmView } from '@/machines/lab-types';
import { ActionButton } from '../../components/action-feedback/action-button';
import { downloadBytes } from '../providers/download';
import { ActionRow, Facts, InlineSelect, Section, TextField } from '../page-parts';

const FEATURES: { feature: VmFeature; name: string }[] = [
  { feature: 'faultTolerance', name: 'Fault Tolerance' },
  { feature: 'replication', name: 'vSphere Replication' },
  { feature: 'contentLibrary', name: 'Content library template' },
];

export function EncryptedVmLimits({ lab, view, vm }: { lab: Lab; view: LabView; vm: VmView }) {
  const [cloneName, setCloneName] = useState(`${vm.name}-clone`);
  const [datastore, setDatastore] = useState('');
  const [format, setFormat] = useState<DiskFormat>(vm.diskFormat === 'thickEagerZeroed' ? 'thin' : 'thickEagerZeroed');
  if (!view.vcenter || !vm.registered) return null;
  const vmId = vm.id;
  const encrypted = Boolean(vm.encryption || vm.homeEncryption);
  const others = view.datastores.filter((d) => d.id !== vm.datastoreId);
  const datastoreId = others.some((d) => d.id === datastore) ? datastore : (others[0]?.id ?? '');
  // Not the features: a switch's outcome stays beneath it after its label turns from on to off.
  const stateKey = [vm.power, vm.datastoreId, vm.encryption?.keyId ?? '', vm.homeEncryption?.keyId ?? '', vm.snapshots, vm.diskFormat ?? ''].join('|');
  const notes = Object.values(ENCRYPTED_VM_LIMITS).filter((l) => l.laterVersions);

  return (
    <Section
      title="Clone, export, storage and availability"
      description={
        encrypted
          ? `${vm.name} is encrypted. In vSphere 6.5 to 7.0, as the lab’s material describes them, an encrypted VM cannot be cloned, exported as OVF, snapshotted with its memory, moved by Storage vMotion or given another disk format, and Fault Tolerance, vSphere Replication and content libraries do not work with it: each is refused below with the reason.`
          : `${vm.name} is not encrypted, so each of these works. Encrypted, it would refuse them all (vSphere 6.5 to 7.0).`
      }
    >
      <div className="flex flex-col gap-3">
        <Facts
          items={[
            ['Disk format', vm.diskFormat === 'thickEagerZeroed' ? 'Thick provisioned, eager zeroed' : 'Thin provisioned'],
            ...FEATURES.map(({ feature, name }): [string, string] => [name, vm.features?.[feature] ? 'On' : 'Off']),
          ]}
        />
        <ActionRow label="Clone">
          <div className="flex flex-wrap items-end gap-2">
            <TextField label="Name of the clone" value={cloneName} onChange={setCloneName} maxLength={80} />
            <ActionButton stateKey={stateKey} variant="primary" run={() => lab.dispatch({ type: 'vm.clone', vmId, name: cloneName })}>
              Clone to virtual machine
            </ActionButton>
          </div>
        </ActionRow>
        <ActionRow label="Export and snapshot">
          <ActionButton
            stateKey={stateKey}
            run={async () => {
              const result = await lab.dispatch({ type: 'vm.exportOvf', vmId });
              if (result.ok && result.download) downloadBytes(result.download.bytes, result.download.fileName, result.download.mimeType);
              return result;
            }}
          >
            Export OVF template
          </ActionButton>
          <ActionButton stateKey={stateKey} run={() => lab.dispatch({ type: 'vm.takeMemorySnapshot', vmId })}>
            Take snapshot with memory
          </ActionButton>
        </ActionRow>
        <ActionRow label="Storage">
          {others.length > 0 ? (
            <InlineSelect label="Destination datastore" value={datastoreId} onChange={setDatastore} options={others.map((d) => ({ value: d.id, label: d.name }))} />
          ) : null}
          <ActionButton
            stateKey={stateKey}
            run={() => lab.dispatch({ type: 'vm.relocateStorage', vmId, datastoreId })}
            disabledReason={others.length === 0 ? 'This lab has one datastore: Storage vMotion needs a second (a scenario can add one).' : null}
          >
            Change storage (Storage vMotion)
          </ActionButton>
          <InlineSelect
            label="Disk format"
            value={format}
            onChange={(v) => setFormat(v as DiskFormat)}
            options={[
              { value: 'thin', label: 'Thin provision' },
              { value: 'thickEagerZeroed', label: 'Thick provision eager zeroed' },
            ]}
          />
          <ActionButton
            stateKey={stateKey}
            run={() => lab.dispatch({ type: 'vm.changeDiskFormat', vmId, format })}
            disabledReason={(vm.diskFormat ?? 'thin') === format ? `The disk is already ${format === 'thin' ? 'thin provisioned' : 'thick provisioned'}.` : null}
          >
            Change disk format
          </ActionButton>
        </ActionRow>
        <ActionRow label="Availability">
          {FEATURES.map(({ feature, name }) => {
            const enabled = !vm.features?.[feature];
            return (
              <ActionButton
                key={feature}
                stateKey={stateKey}
                run={() => lab.dispatch({ type: 'vm.setFeature', vmId, feature, enabled })}
                disabledReason={disabledReason(view, { type: 'vm.setFeature', vmId, feature, enabled })}
              >
                {enabled ? `Turn on ${name}` : `Turn off ${name}`}
              </ActionButton>
            );
          })}
        </ActionRow>
        <details className="text-xs text-slate-700 dark:text-slate-300">
          <summary className="cursor-pointer font-medium">What later vSphere releases changed</summary>
          <ul className="mt-1 list-disc pl-5">
            {notes.map((l) => (
              <li key={l.label}>
                <span className="font-medium">{l.label}:</span> {l.laterVersions}
              </li>
            ))}
          </ul>
          <p className="mt-1">
            The lab refuses them all for an encrypted VM, as the material (vSphere 6.5 to 7.0) does. OVF export, the disk format change and
            content libraries have no such note here. The lab’s OVF package carries the disk as a raw flat image, not VMware’s compressed
            streamOptimized VMDK.
          </p>
        </details>
      </div>
    </Section>
  );
}
