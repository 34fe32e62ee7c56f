// What an encrypted VM cannot do, as the lab's material states it (vSphere 6.5 to 7.0): the operation's name as the
// vSphere Client shows it, why vSphere refuses it, and what later releases changed (from VMware's documentation). The
// lab follows the material and says what changed; the precondition, the UI and lessons all read this one table.
import type { VmFeature } from '../lab-types';

export type LimitedOperation = 'clone' | 'exportOvf' | 'memorySnapshot' | 'relocateStorage' | 'changeDiskFormat' | VmFeature;

export interface EncryptedVmLimit {
  /** The operation in the vSphere Client's words. */
  label: string;
  /** Why vSphere refuses it for an encrypted VM. */
  why: string;
  /** What later vSphere releases allow, per VMware's documentation; null when nothing changed. */
  laterVersions: string | null;
}

export const ENCRYPTED_VM_LIMITS: Record<LimitedOperation, EncryptedVmLimit> = {
  clone: {
    label: 'Clone to Virtual Machine',
    why: 'a clone would copy the encrypted disk and its wrapped key to a new VM, which this release does not manage',
    laterVersions:
      'VMware’s Security guide for vSphere 6.7 and later documents cloning an encrypted VM (privilege Cryptographer.Clone): the clone is encrypted too, and vSphere 8.0 can give a cloned vTPM new secrets.',
  },
  exportOvf: {
    label: 'Export OVF Template',
    why: 'an OVF package leaves vCenter’s key management: its disk would be unreadable anywhere else, or exported in plaintext',
    laterVersions: null,
  },
  memorySnapshot: {
    label: 'Take Snapshot with “Snapshot the virtual machine’s memory”',
    why: 'a memory snapshot writes the guest’s RAM (keys and data in the clear inside the guest) to the datastore',
    laterVersions: 'From vSphere 6.7 an encrypted VM can be suspended and reverted to a memory snapshot (the memory file is encrypted too).',
  },
  relocateStorage: {
    label: 'Migrate > Change storage only (Storage vMotion)',
    why: 'moving the encrypted disk to another datastore is not supported for an encrypted VM in this release',
    laterVersions: 'Later releases’ documentation describes migrating encrypted VMs, storage included; check the interoperability notes of your release.',
  },
  changeDiskFormat: {
    label: 'Change the virtual disk format (thin / thick)',
    why: 'converting the disk’s provisioning rewrites the encrypted disk, which this release does not do',
    laterVersions: null,
  },
  faultTolerance: {
    label: 'Fault Tolerance > Turn On Fault Tolerance',
    why: 'Fault Tolerance does not work with VM encryption',
    laterVersions: 'vSphere 7.0 Update 2 adds encrypted Fault Tolerance (its log traffic is encrypted; for an encrypted VM the mode is Required).',
  },
  replication: {
    label: 'vSphere Replication > Configure Replication',
    why: 'vSphere Replication does not work with VM encryption',
    laterVersions: 'vSphere Replication 8.3 replicates encrypted VMs on vSphere 6.7 Update 1 and later (both sites need the same keys).',
  },
  contentLibrary: {
    label: 'Clone to Template in Library (content library)',
    why: 'a content library does not work with VM encryption',
    laterVersions: null,
  },
};

/** The refusal's wording for an encrypted VM: the operation, vSphere's reason, and the later-release note. */
export function encryptedVmRefusal(vmName: string, op: LimitedOperation): string {
  const limit = ENCRYPTED_VM_LIMITS[op];
  const later = limit.laterVersions ? ` Later vSphere: ${limit.laterVersions}` : '';
  return `${limit.label} is not supported for encrypted VM ${vmName}: ${limit.why}. Decrypt the VM first (the lab follows vSphere 6.5–7.0 here).${later}`;
}
