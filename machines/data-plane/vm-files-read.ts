// Reading VMs back from a datastore: a VM's folder parsed and checked against its disk (what register and the reconcile
// on open read; no key needed), many VMs in one transaction, and the folders that hold a VM.
import { Dexie } from 'dexie';
import type { KeylabDb } from '@/lib/storage';
import { parseVmdkDescriptor, parseVmx } from '@/lib/vmware';
import { VmDataError } from './errors';
import { VM_ID_KEY, keysOf, parsed } from './vm-file-keys';
import { nvramPathOf, type VmFileSet, type VmFiles } from './vm-files-model';
import { parsePending, pendingPath } from './vm-files-pending';

/** From this many VMs on, readVmFileSetsSettled reads whole datastores instead of folder by folder. */
const WHOLE_DATASTORE_READ = 16;

function filesIn(db: KeylabDb, datastoreId: string, folder: string) {
  return db.datastoreFiles.where('[datastoreId+folder]').equals([datastoreId, folder]).toArray();
}

function filesOfDatastore(db: KeylabDb, datastoreId: string) {
  return db.datastoreFiles.where('[datastoreId+path]').between([datastoreId, Dexie.minKey], [datastoreId, Dexie.maxKey], true, true).toArray();
}

export async function readVmFiles(db: KeylabDb, datastoreId: string, folder: string): Promise<VmFiles> {
  return (await readVmFileSet(db, datastoreId, folder)).files;
}

export async function readVmFileSet(db: KeylabDb, datastoreId: string, folder: string): Promise<VmFileSet> {
  return (await readVmFileSets(db, [{ datastoreId, folder }]))[0]!;
}

/**
 * readVmFileSet for many VMs in one read transaction (a re-key of many VMs). Each entry is the VM's file set or the
 * VmDataError its folder gives, so one damaged VM does not hide the others.
 */
export async function readVmFileSetsSettled(
  db: KeylabDb,
  vms: readonly { datastoreId: string; folder: string }[],
): Promise<(VmFileSet | VmDataError)[]> {
  const found = await db.transaction('r', db.datastoreFiles, db.disks, async () => {
    if (vms.length < WHOLE_DATASTORE_READ) {
      return Promise.all(
        vms.map(async ({ datastoreId, folder }) => {
          const rows = await filesIn(db, datastoreId, folder);
          return { rows, headers: await db.disks.bulkGet(diskIdHints(rows)) };
        }),
      );
    }
    // Many VMs: each datastore's files in one range read and every disk header in one bulk read, rather than two
    // requests per VM (IndexedDB's cost is per request far more than per row).
    const rowsOf = new Map<string, { path: string; text: string }[]>();
    for (const datastoreId of new Set(vms.map((vm) => vm.datastoreId))) {
      const wanted = new Set(vms.filter((vm) => vm.datastoreId === datastoreId).map((vm) => vm.folder));
      for (const row of await filesOfDatastore(db, datastoreId)) {
        if (!wanted.has(row.folder)) continue;
        const key = JSON.stringify([datastoreId, row.folder]);
        rowsOf.set(key, [...(rowsOf.get(key) ?? []), row]);
      }
    }
    const rowsPerVm = vms.map(({ datastoreId, folder }) => rowsOf.get(JSON.stringify([datastoreId, folder])) ?? []);
    const hints = rowsPerVm.map((rows) => diskIdHints(rows));
    const headers = await db.disks.bulkGet(hints.flat());
    let next = 0;
    return rowsPerVm.map((rows, i) => ({ rows, headers: headers.slice(next, (next += hints[i]!.length)) }));
  });
  return found.map(({ rows, headers }, i) => {
    try {
      return vmFileSetFrom(vms[i]!.datastoreId, vms[i]!.folder, rows, headers);
    } catch (error) {
      if (error instanceof VmDataError) return error;
      throw error;
    }
  });
}

async function readVmFileSets(db: KeylabDb, vms: readonly { datastoreId: string; folder: string }[]): Promise<VmFileSet[]> {
  return (await readVmFileSetsSettled(db, vms)).map((set) => {
    if (set instanceof VmDataError) throw set;
    return set;
  });
}

/** Parses and checks a VM folder's rows and its disk header (read in one transaction, or about to be written). */
function vmFileSetFrom(
  datastoreId: string,
  folder: string,
  rows: readonly { path: string; text: string }[],
  headers: readonly ({ diskId: string; sizeBytes: number } | undefined)[],
): VmFileSet {
  const vmxRows = rows.filter((row) => row.path.toLowerCase().endsWith('.vmx'));
  if (vmxRows.length === 0) {
    throw new VmDataError('VM_FILES_MISSING', `There is no VM in folder "${folder}" of datastore ${datastoreId} (no .vmx file).`);
  }
  if (vmxRows.length > 1) {
    throw new VmDataError('VM_FILES_CORRUPT', `Folder "${folder}" holds ${vmxRows.length} .vmx files; the lab expects one VM per folder.`);
  }
  const vmxRow = vmxRows[0]!;
  const where = `${datastoreId}/${vmxRow.path}`;
  const vmx = parsed(where, () => parseVmx(vmxRow.text));
  const vmId = vmx.extra[VM_ID_KEY];
  if (!vmId) throw new VmDataError('VM_FILES_CORRUPT', `${where} has no ${VM_ID_KEY}, so the lab cannot tell which VM it is.`);
  if (vmx.disks.length !== 1) {
    throw new VmDataError('VM_FILES_CORRUPT', `${where} lists ${vmx.disks.length} disks; the lab's VMs have exactly one.`);
  }
  const vmdkPath = `${folder === '' ? '' : `${folder}/`}${vmx.disks[0]}`;
  const vmdkText = rows.find((row) => row.path === vmdkPath)?.text;
  if (vmdkText === undefined) {
    throw new VmDataError('VM_FILES_MISSING', `The disk descriptor ${datastoreId}/${vmdkPath} named by ${where} is missing.`);
  }
  const vmdk = parsed(`${datastoreId}/${vmdkPath}`, () => parseVmdkDescriptor(vmdkText));
  const header = headers.find((h) => h?.diskId === vmdk.diskId);
  if (!header) {
    throw new VmDataError('VM_FILES_MISSING', `The virtual disk ${vmdk.flatFile} of VM "${vmx.displayName}" is missing from the datastore.`);
  }
  if (header.sizeBytes !== vmdk.sizeBytes) {
    throw new VmDataError(
      'VM_FILES_CORRUPT',
      `${datastoreId}/${vmdkPath} says the disk holds ${vmdk.sizeBytes} bytes, but the stored disk holds ${header.sizeBytes}.`,
    );
  }
  const pendingRow = rows.find((row) => row.path === pendingPath(vmxRow));
  const nvramRow = rows.find((row) => row.path === nvramPathOf(vmxRow.path));
  const { home, encryption } = keysOf(where, vmx, vmdk);
  const files: VmFiles = {
    vmId,
    name: vmx.displayName,
    datastoreId,
    folder,
    vmxPath: vmxRow.path,
    vmdkPath,
    diskId: vmdk.diskId,
    diskSizeBytes: vmdk.sizeBytes,
    vtpm: vmx.vtpm,
    nvramPath: nvramRow?.path ?? null,
    home,
    encryption,
    pending: pendingRow === undefined ? null : parsePending(`${datastoreId}/${pendingRow.path}`, pendingRow.text),
  };
  return { files, vmx, vmdk, nvramText: nvramRow?.text ?? null };
}

/** The disk IDs the folder's descriptors name, found cheaply so the headers can be read in the same transaction. */
function diskIdHints(rows: readonly { path: string; text: string }[]): string[] {
  const ids: string[] = [];
  for (const row of rows) {
    if (!row.path.toLowerCase().endsWith('.vmdk')) continue;
    const match = /^ddb\.keylab\.diskId\s*=\s*"([^"]+)"/m.exec(row.text);
    if (match) ids.push(match[1]!);
  }
  return ids;
}

/** The folders of a datastore that hold a VM (a .vmx file), sorted. */
export async function listVmFolders(db: KeylabDb, datastoreId: string): Promise<string[]> {
  const folders = new Set<string>();
  await db.datastoreFiles
    .where('[datastoreId+path]')
    .between([datastoreId, ''], [datastoreId, '\uffff'], true, true)
    .each((row) => {
      if (row.path.toLowerCase().endsWith('.vmx')) folders.add(row.folder);
    });
  return [...folders].sort();
}
