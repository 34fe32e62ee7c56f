// A plain VM's disk provisioning: thin (only written blocks take room, ddb.thinProvisioned = "1") or thick eager
// zeroed (every block allocated and zeroed now, ddb.thinProvisioned = "0"). Going thick really writes every block not
// yet written; going thin records the format (the lab cannot give back blocks already allocated: ESXi does that by
// copying the disk, as a Storage vMotion does).
import { openDisk, writeTextFile, type KeylabDb } from '@/lib/storage';
import { renderVmdkDescriptor } from '@/lib/vmware';
import type { DiskFormat } from '@/machines/lab-types';
import { VmDataError } from './errors';
import { readVmFileSet } from './vm-files-read';
import type { VmFiles } from './vm-files-model';

const THIN_KEY = 'ddb.thinProvisioned';
/** One write per this many bytes when allocating: big enough to be quick, small enough to keep memory low. */
const CHUNK = 1024 * 1024;

export function diskFormatOf(vmdk: { extra?: Record<string, string> }): DiskFormat {
  return vmdk.extra?.[THIN_KEY] === '0' ? 'thickEagerZeroed' : 'thin';
}

export async function changeDiskFormat(db: KeylabDb, vm: Pick<VmFiles, 'datastoreId' | 'folder'>, format: DiskFormat): Promise<VmFiles> {
  const { files, vmdk } = await readVmFileSet(db, vm.datastoreId, vm.folder);
  if (files.home || files.encryption) throw new VmDataError('ALREADY_ENCRYPTED', `VM "${files.name}" is encrypted; its disk format cannot be changed.`);
  if (format === 'thickEagerZeroed') {
    // Rewriting every block with what it holds allocates the ones never written (as zeros) and keeps the data.
    const disk = await openDisk(db, files.diskId, null);
    for (let at = 0; at < files.diskSizeBytes; at += CHUNK) {
      const length = Math.min(CHUNK, files.diskSizeBytes - at);
      await disk.write(at, await disk.read(at, length));
    }
  }
  const rest = Object.entries(vmdk.extra ?? {}).filter(([key]) => key !== THIN_KEY);
  const extra = Object.fromEntries(format === 'thin' ? rest : [...rest, [THIN_KEY, '0']]);
  const descriptor = { diskId: vmdk.diskId, sizeBytes: vmdk.sizeBytes, flatFile: vmdk.flatFile, encryptionKeys: vmdk.encryptionKeys };
  await writeTextFile(db, files.datastoreId, files.vmdkPath, renderVmdkDescriptor(Object.keys(extra).length > 0 ? { ...descriptor, extra } : descriptor));
  return files;
}
