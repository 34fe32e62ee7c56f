// The lab's read-only queries beside its view: a VM's guest files (through its key on its host, as the guest sees
// them), a datastore's folders and text files, and a disk's sectors as stored and, where a key is held, as the VM
// reads them.
import { listFolder, readTextFile } from '@/lib/storage';
import { listGuestFiles, readGuestFile, readSectorsView } from '../data-plane';
import { heldDek, readFilesOf } from '../commands/vm-access';
import type { DiskSectorsView, Lab } from '../lab-types';
import type { LabRuntime } from './lab-runtime';

export type LabQueries = Pick<Lab, 'listGuestFiles' | 'readGuestFile' | 'listDatastoreFiles' | 'readDatastoreFile' | 'readDiskSectors'>;

export function labQueries(rt: LabRuntime): LabQueries {
  const { db } = rt;
  /** The VM's files and the DEK its host holds now (or why it holds none). */
  const vmDisk = async (vmId: string) => {
    const vm = rt.vm(vmId);
    const files = await readFilesOf(rt, vm);
    return { vm, files, ...(await heldDek(rt, vm, files)) };
  };
  /** Guest files need the key: an encrypted VM whose host cannot get it has none to show. */
  const guestDisk = async (vmId: string) => {
    const { files, dek, reason } = await vmDisk(vmId);
    if (files.encryption && !dek) throw new Error(reason ?? 'The key of this VM is not available.');
    return { files, dek };
  };

  return {
    listGuestFiles: async (vmId) => {
      const { files, dek } = await guestDisk(vmId);
      return listGuestFiles(db, files, dek);
    },
    readGuestFile: async (vmId, name) => {
      const { files, dek } = await guestDisk(vmId);
      return readGuestFile(db, files, dek, name);
    },
    listDatastoreFiles: async (datastoreId, folder) => {
      const entries = await listFolder(db, datastoreId, folder);
      return entries.map((e) => ({ path: e.path, size: e.sizeBytes, kind: fileKind(e.name) }));
    },
    readDatastoreFile: async (datastoreId, path) => {
      const text = await readTextFile(db, datastoreId, path);
      if (text === undefined) throw new Error(`[${datastoreId}] ${path} is not a text file (a virtual disk's sectors are shown in the sector view).`);
      return text;
    },
    readDiskSectors: async (vmId, firstSector, count): Promise<DiskSectorsView> => {
      const { files, dek, reason } = await vmDisk(vmId);
      const view = await readSectorsView(db, files, firstSector, count, dek);
      return dek || !files.encryption ? view : { ...view, plaintext: null, plaintextUnavailableReason: view.plaintextUnavailableReason ?? reason };
    },
  };
}

function fileKind(name: string): 'vmx' | 'vmdk' | 'nvram' | 'log' | 'other' {
  if (name.endsWith('.vmx')) return 'vmx';
  if (name.endsWith('.vmdk')) return 'vmdk';
  if (name.endsWith('.nvram')) return 'nvram';
  if (name.endsWith('.log')) return 'log';
  return 'other';
}
