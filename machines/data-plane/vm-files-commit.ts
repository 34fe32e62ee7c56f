// Committing a VM's new key state: the .vmx, the descriptor (and a vTPM's .nvram) rewritten for it and the pending
// record removed in one transaction, for one VM or many; adding and removing a vTPM's files.
import { mapQuota, type DatastoreFileRow, type KeylabDb } from '@/lib/storage';
import { renderVmdkDescriptor, renderVmx } from '@/lib/vmware';
import { withKeys } from './vm-file-keys';
import { homeKeyOf, nvramPathOf, type VmEncryption, type VmFileSet, type VmFiles, type VmHomeEncryption } from './vm-files-model';
import { pendingPath } from './vm-files-pending';

/** A VM's new key state: its disks' encryption and its home's key (the disks' key unless given: a vTPM's VM home). */
export interface VmKeysCommit {
  set: VmFileSet;
  encryption: VmEncryption | null;
  home?: VmHomeEncryption | null;
  /** The .nvram sealed again under the new key (a re-key of a VM with a vTPM); undefined leaves it as it is. */
  nvramText?: string;
}

/**
 * Rewrites the .vmx and the descriptor for a new encryption state and removes the pending record, in ONE transaction:
 * the VM's files name either the old key or the new one, never a mix. Returns the VM's files as now written.
 */
export async function commitVmEncryption(db: KeylabDb, set: VmFileSet, encryption: VmEncryption | null, rest: Omit<VmKeysCommit, 'set' | 'encryption'> = {}): Promise<VmFiles> {
  return (await commitVmEncryptionMany(db, [{ set, encryption, ...rest }]))[0]!;
}

/** commitVmEncryption for many VMs in ONE transaction: all of them move to their new keys, or none does. */
export async function commitVmEncryptionMany(db: KeylabDb, commits: readonly VmKeysCommit[]): Promise<VmFiles[]> {
  const writes = commits.map((c) => {
    const home = homeOf(c);
    const next = withKeys(c.set.vmx, c.set.vmdk, home, c.encryption);
    const nvram = c.nvramText !== undefined && c.set.files.nvramPath ? { path: c.set.files.nvramPath, text: c.nvramText } : null;
    return { vm: c.set.files, vmxText: renderVmx(next.vmx), vmdkText: renderVmdkDescriptor(next.vmdk), others: nvram ? [nvram] : [] };
  });
  await writeVmTexts(db, writes, true);
  return commits.map((c) => ({ ...c.set.files, home: homeOf(c), encryption: c.encryption, pending: null }));
}

function homeOf(c: VmKeysCommit): VmHomeEncryption | null {
  if (c.home !== undefined) return c.home && homeKeyOf(c.home);
  return c.encryption && homeKeyOf(c.encryption);
}

/**
 * Adds a vTPM: the .vmx says so and, when the VM home was not encrypted yet, gets `home` (its key locator and
 * encryption.data); the .nvram, sealed by the caller under that key, is written. One transaction.
 */
export async function writeVtpmFiles(db: KeylabDb, set: VmFileSet, home: VmHomeEncryption, nvramText: string): Promise<VmFiles> {
  const next = withKeys({ ...set.vmx, vtpm: true }, set.vmdk, home, set.files.encryption);
  const nvramPath = nvramPathOf(set.files.vmxPath);
  await writeVmTexts(db, [{ vm: set.files, vmxText: renderVmx(next.vmx), vmdkText: null, others: [{ path: nvramPath, text: nvramText }] }], false);
  return { ...set.files, vtpm: true, nvramPath, home };
}

/** Removes a vTPM: the .vmx no longer has one and its .nvram (the vTPM's secrets) is deleted. The VM home's key stays. */
export async function deleteVtpmFiles(db: KeylabDb, set: VmFileSet): Promise<VmFiles> {
  await writeVmTexts(db, [{ vm: set.files, vmxText: renderVmx({ ...set.vmx, vtpm: false }), vmdkText: null, others: [], remove: set.files.nvramPath ? [set.files.nvramPath] : [] }], false);
  return { ...set.files, vtpm: false, nvramPath: null };
}

async function writeVmTexts(
  db: KeylabDb,
  writes: readonly { vm: VmFiles; vmxText: string; vmdkText: string | null; others?: { path: string; text: string }[]; remove?: string[] }[],
  clearPending: boolean,
) {
  if (writes.length === 0) return;
  const now = Date.now();
  const rows: DatastoreFileRow[] = [];
  const removed: [string, string][] = [];
  for (const { vm, vmxText, vmdkText, others, remove } of writes) {
    rows.push({ datastoreId: vm.datastoreId, path: vm.vmxPath, folder: vm.folder, text: vmxText, modifiedAt: now });
    if (vmdkText !== null) rows.push({ datastoreId: vm.datastoreId, path: vm.vmdkPath, folder: vm.folder, text: vmdkText, modifiedAt: now });
    for (const o of others ?? []) rows.push({ datastoreId: vm.datastoreId, path: o.path, folder: vm.folder, text: o.text, modifiedAt: now });
    for (const path of remove ?? []) removed.push([vm.datastoreId, path]);
  }
  await mapQuota(() =>
    db.transaction('rw', db.datastoreFiles, async () => {
      await db.datastoreFiles.bulkPut(rows);
      // Only a VM read with a pending record has one (commands run one at a time, so none appeared since).
      const pending = clearPending ? writes.filter(({ vm }) => vm.pending !== null) : [];
      if (pending.length > 0) removed.push(...pending.map(({ vm }) => [vm.datastoreId, pendingPath(vm)] as [string, string]));
      if (removed.length > 0) await db.datastoreFiles.bulkDelete(removed);
    }),
  );
}
