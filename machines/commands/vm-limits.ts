// The operations an encrypted VM refuses, done for a plain VM: clone, Export OVF Template, a snapshot with memory,
// Storage vMotion, a disk format change, and the FT / vSphere Replication / content library switches. Their rules
// (including the encryption limit) are the preconditions' (preconditions/vm-limits.ts); the handlers do the work on the
// datastore through the data plane and tell the actors what changed.
import { changeDiskFormat } from '../data-plane/disk-format';
import { exportOvfPackage } from '../data-plane/ovf-export';
import { copyVmFolder } from '../data-plane/vm-copy';
import { writeMemorySnapshot } from '../data-plane/vm-snapshot-memory';
import { deleteVmFiles } from '../data-plane';
import { writeTextFile, readTextFile } from '@/lib/storage';
import { parseVmx, renderVmx } from '@/lib/vmware';
import { EVENT } from '../session/lab-event-ids';
import type { LabRuntime } from '../session/lab-runtime';
import type { DiskFormat, LabDownload, VmFeature } from '../lab-types';
import { ENCRYPTED_VM_LIMITS } from './encrypted-vm-limits';
import { readFilesOf } from './vm-access';

/** What a handler hands back when it has a file for the learner too. */
export interface MessageWithDownload {
  message: string;
  download: LabDownload;
}

/** .vmx keys that record the switches (the lab's own names: real vSphere keeps these in vCenter and the VR appliance). */
export const FEATURE_VMX_KEY: Record<VmFeature, string> = {
  faultTolerance: 'keylab.ft.enabled',
  replication: 'keylab.hbr.enabled',
  contentLibrary: 'keylab.contentLibrary.template',
};

export async function cloneCommand(rt: LabRuntime, vmId: string, name: string): Promise<string> {
  const vm = rt.vm(vmId);
  const cloneId = `vm-${rt.newId().slice(0, 8)}`;
  const files = await copyVmFolder(rt.db, vm, {
    vmId: cloneId,
    name: name.trim(),
    datastoreId: vm.datastoreId,
    withOtherFiles: false,
    dropVmxKeys: Object.values(FEATURE_VMX_KEY),
  });
  rt.root.send({
    type: 'lab.spawn',
    requests: [
      {
        src: 'vm',
        input: {
          id: cloneId,
          name: files.name,
          datastoreId: files.datastoreId,
          folder: files.folder,
          hostId: vm.hostId,
          registered: true,
          encryption: null,
          homeEncryption: null,
          locked: null,
          vtpm: false,
          snapshots: 0,
          diskSizeBytes: files.diskSizeBytes,
          operation: null,
        },
      },
    ],
  });
  rt.vcenterRef().send({ type: 'inventory.vmRegistered', vmIds: [cloneId] });
  rt.log({ eventTypeId: EVENT.vmCloned, objectId: cloneId, message: `VM ${files.name} cloned from ${vm.name} into [${files.datastoreId}] ${files.folder}.` });
  return `VM ${vm.name} cloned to ${files.name} ([${files.datastoreId}] ${files.folder}, powered off; its disk copied).`;
}

export async function exportOvfCommand(rt: LabRuntime, vmId: string): Promise<MessageWithDownload> {
  const vm = rt.vm(vmId);
  const pkg = await exportOvfPackage(rt.db, vm, Math.floor(Date.now() / 1000));
  rt.log({ eventTypeId: EVENT.vmReconfigured, objectId: vmId, message: `Export OVF Template of VM ${vm.name}: ${pkg.fileName}.` });
  return {
    message: `VM ${vm.name} exported as ${pkg.fileName} (${pkg.diskFileName}: the disk's raw image, ${pkg.disk.length} bytes, with its descriptor and SHA-256 manifest).`,
    download: { fileName: pkg.fileName, mimeType: 'application/x-tar', bytes: pkg.ova },
  };
}

export async function memorySnapshotCommand(rt: LabRuntime, vmId: string): Promise<string> {
  const vm = rt.vm(vmId);
  const files = await readFilesOf(rt, vm);
  const written = await writeMemorySnapshot(rt.db, files, vm.snapshots + 1, rt.clock.now());
  rt.vmRef(vmId).send({ type: 'vm.snapshotTaken' });
  rt.log({ eventTypeId: EVENT.vmReconfigured, objectId: vmId, message: `Snapshot ${vm.snapshots + 1} of VM ${vm.name} taken with its memory (${written.vmemPath}).` });
  return `Snapshot ${vm.snapshots + 1} of VM ${vm.name} taken with its memory: ${written.vmsnPath} and ${written.vmemPath}.`;
}

export async function relocateStorageCommand(rt: LabRuntime, vmId: string, datastoreId: string): Promise<string> {
  const vm = rt.vm(vmId);
  const from = { datastoreId: vm.datastoreId, folder: vm.folder };
  const files = await copyVmFolder(rt.db, vm, { vmId, name: vm.name, datastoreId, withOtherFiles: true });
  rt.vmRef(vmId).send({ type: 'vm.storageRelocated', datastoreId, folder: files.folder });
  // The copy is the VM now (the actor says so): the source folder goes last, so a crash before leaves the VM whole.
  rt.saveNow();
  await deleteVmFiles(rt.db, from);
  rt.log({ eventTypeId: EVENT.vmRelocated, objectId: vmId, message: `VM ${vm.name} relocated from [${from.datastoreId}] ${from.folder} to [${datastoreId}] ${files.folder}.` });
  return `VM ${vm.name} moved to datastore ${datastoreId} ([${datastoreId}] ${files.folder}; Storage vMotion${vm.power === 'on' ? ', while it ran' : ''}).`;
}

export async function changeDiskFormatCommand(rt: LabRuntime, vmId: string, format: DiskFormat): Promise<string> {
  const vm = rt.vm(vmId);
  await changeDiskFormat(rt.db, vm, format);
  rt.vmRef(vmId).send({ type: 'vm.diskFormatSet', format });
  const words = format === 'thin' ? 'thin provisioned' : 'thick provisioned, eager zeroed (every block allocated)';
  rt.log({ eventTypeId: EVENT.vmReconfigured, objectId: vmId, message: `The disk of VM ${vm.name} is now ${words}.` });
  return `The disk of VM ${vm.name} is now ${words}; its descriptor records it.`;
}

export async function setFeatureCommand(rt: LabRuntime, vmId: string, feature: VmFeature, enabled: boolean): Promise<string> {
  const vm = rt.vm(vmId);
  const files = await readFilesOf(rt, vm);
  const text = await readTextFile(rt.db, files.datastoreId, files.vmxPath);
  const vmx = parseVmx(text ?? '');
  const rest = Object.fromEntries(Object.entries(vmx.extra).filter(([key]) => key !== FEATURE_VMX_KEY[feature]));
  await writeTextFile(rt.db, files.datastoreId, files.vmxPath, renderVmx({ ...vmx, extra: enabled ? { ...rest, [FEATURE_VMX_KEY[feature]]: 'TRUE' } : rest }));
  rt.vmRef(vmId).send({ type: 'vm.featureSet', feature, enabled });
  const label = ENCRYPTED_VM_LIMITS[feature].label.split(' > ')[0];
  rt.log({ eventTypeId: EVENT.vmReconfigured, objectId: vmId, message: `${label} turned ${enabled ? 'on' : 'off'} for VM ${vm.name}.` });
  return `${label} is ${enabled ? 'on' : 'off'} for VM ${vm.name}.`;
}
