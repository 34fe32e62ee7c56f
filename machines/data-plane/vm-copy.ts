// Copying a plain VM's folder: a clone (a new VM: new ID, name, folder and disk) or a Storage vMotion (the same VM on
// another datastore). The disk's sectors are read back and written again under the new disk's ID, in one transaction
// with its .vmx and descriptor, so no half copy is ever stored. An encrypted VM is refused here too (its sectors are
// sealed to its disk's ID and its key to its files): the commands' preconditions say why vSphere refuses it.
import { foldersInUse, listFolder, openDisk, prepareDisk, readTextFile, writeNewFolders, type KeylabDb } from '@/lib/storage';
import { renderVmdkDescriptor, renderVmx } from '@/lib/vmware';
import { VmDataError } from './errors';
import { VM_ID_KEY } from './vm-file-keys';
import { readVmFileSet, readVmFiles } from './vm-files-read';
import type { VmFileSet, VmFiles } from './vm-files-model';

export interface VmCopyTarget {
  vmId: string;
  name: string;
  datastoreId: string;
  /** Carry the folder's other files (snapshot and memory files, logs) along: a move does, a clone does not. */
  withOtherFiles: boolean;
  /** .vmx keys the copy must not keep (a clone starts without FT or replication). */
  dropVmxKeys?: readonly string[];
}

/** The disk's bytes up to its last written (non-zero) byte: what a thin copy needs to write. */
async function usedImage(db: KeylabDb, files: VmFiles): Promise<Uint8Array> {
  const all = await (await openDisk(db, files.diskId, null)).read(0, files.diskSizeBytes);
  let end = all.length;
  while (end > 0 && all[end - 1] === 0) end--;
  return all.subarray(0, end);
}

function freeFolder(used: Set<string>, base: string): string {
  let folder = base;
  for (let n = 1; used.has(folder); n++) folder = `${base}_${n}`;
  return folder;
}

/** Writes a copy of the plain VM in [datastoreId] folder to `target`; returns the copy's files as read back. */
export async function copyVmFolder(db: KeylabDb, source: Pick<VmFiles, 'datastoreId' | 'folder'>, target: VmCopyTarget): Promise<VmFiles> {
  const set: VmFileSet = await readVmFileSet(db, source.datastoreId, source.folder);
  const { files } = set;
  if (files.home || files.encryption) throw new VmDataError('ALREADY_ENCRYPTED', `VM "${files.name}" is encrypted; the lab copies only plain VMs.`);
  if (files.pending) throw new VmDataError('OPERATION_PENDING', `VM "${files.name}" has an unfinished ${files.pending.kind}.`);

  const folder = freeFolder(await foldersInUse(db, target.datastoreId), target.name);
  const diskId = `disk-${target.vmId}-${crypto.randomUUID()}`;
  const vmdkName = `${target.name}.vmdk`;
  const flatFile = `${target.name}-flat.vmdk`;
  const disk = await prepareDisk({ diskId, datastoreId: target.datastoreId, path: `${folder}/${flatFile}`, sizeBytes: files.diskSizeBytes, dek: null }, await usedImage(db, files));

  const extra = Object.fromEntries(Object.entries(set.vmx.extra).filter(([key]) => !(target.dropVmxKeys ?? []).includes(key)));
  const vmx = { ...set.vmx, displayName: target.name, disks: [vmdkName], extra: { ...extra, [VM_ID_KEY]: target.vmId } };
  const vmdk = { ...set.vmdk, diskId, flatFile };
  const texts = [
    { datastoreId: target.datastoreId, path: `${folder}/${target.name}.vmx`, text: renderVmx(vmx) },
    { datastoreId: target.datastoreId, path: `${folder}/${vmdkName}`, text: renderVmdkDescriptor(vmdk) },
  ];
  if (target.withOtherFiles) {
    const own = new Set([files.vmxPath, files.vmdkPath]);
    for (const entry of await listFolder(db, files.datastoreId, files.folder)) {
      if (entry.kind !== 'file' || own.has(entry.path)) continue;
      const text = await readTextFile(db, files.datastoreId, entry.path);
      const name = entry.name.startsWith(files.name) ? `${target.name}${entry.name.slice(files.name.length)}` : entry.name;
      if (text !== undefined) texts.push({ datastoreId: target.datastoreId, path: `${folder}/${name}`, text });
    }
  }
  await writeNewFolders(db, { disks: [disk], files: texts });
  return readVmFiles(db, target.datastoreId, folder);
}
