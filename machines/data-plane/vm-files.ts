// A VM's folder on a datastore: its .vmx, its disk descriptor (.vmdk), its virtual disk and, while an encrypt, decrypt
// or deep re-key is under way, the pending-operation record. Creating, reading back, listing, deleting, committing.
//
// Keys are recorded in VMware's forms (DESIGN §4a):
//   .vmx  encryption.keySafe = key locator of the KEK (provider name, KEK id; for NKP it carries the KEK wrapped by
//                              the KDK, so a vCenter holding the KDK can recover the KEK from the files alone)
//         encryption.data    = the encrypted configuration (see encrypted-config.ts)
//   .vmdk encryptionKeys     = key locator carrying the DEK wrapped by the KEK
// The lab's own bookkeeping rides in keys VMware tolerates: keylab.vmId in the .vmx, ddb.keylab.* in the descriptor.
import { formatGuestFs, writeGuestFile } from '@/lib/guest/guest-fs';
import {
  createDisk,
  deleteFolder,
  getDiskHeader,
  mapQuota,
  readTextFile,
  writeTextFile,
  type KeylabDb,
} from '@/lib/storage';
import {
  VmwareFormatError,
  formatKeyLocator,
  parseKeyLocator,
  parseVmdkDescriptor,
  parseVmx,
  renderVmdkDescriptor,
  renderVmx,
  type VmdkDescriptor,
  type VmxModel,
} from '@/lib/vmware';
import { base64ToBytes, bytesToBase64 } from '@/lib/vmware/base64';
import { VmDataError } from './errors';

export interface VmEncryption {
  /** The key provider's name, as written in the key locator. */
  providerId: string;
  /** The KEK's key ID. */
  keyId: string;
  /** The DEK wrapped by the KEK (AES-KW), from the descriptor's encryptionKeys. */
  wrappedDek: Uint8Array;
  /** NKP only: the KEK wrapped by the provider's KDK, from the .vmx's encryption.keySafe. */
  kekWrappedByKdk: Uint8Array | null;
  /** Names the DEK on screen; changes on deep re-key only. */
  dekFingerprint: string;
  /** The .vmx's encryption.data (base64), openable with the KEK. */
  encryptedData: string;
}

/** The key an interrupted (or running) operation is moving the disk to. */
export interface PendingTarget {
  providerId: string;
  keyId: string;
  wrappedDek: Uint8Array;
  kekWrappedByKdk: Uint8Array | null;
  dekFingerprint: string;
  /** The disk key tag the sectors get under the new DEK. */
  keyTag: string;
}

export type VmOperationKind = 'encrypt' | 'decrypt' | 'rekeyDeep';

/** Written to the VM folder BEFORE a long operation starts, deleted in the same transaction that commits its result. */
export interface PendingVmOperation {
  kind: VmOperationKind;
  /** null when decrypting. */
  target: PendingTarget | null;
  startedAt: number;
}

export interface VmFiles {
  vmId: string;
  /** The display name (the .vmx's displayName). */
  name: string;
  datastoreId: string;
  folder: string;
  vmxPath: string;
  vmdkPath: string;
  diskId: string;
  diskSizeBytes: number;
  vtpm: boolean;
  /** As the files say now (during an interrupted operation: still the old key). */
  encryption: VmEncryption | null;
  pending: PendingVmOperation | null;
}

export interface CreateVmFilesOptions {
  vmId: string;
  name: string;
  datastoreId: string;
  diskSizeBytes: number;
  vtpm: boolean;
  guestFiles: { name: string; text: string }[];
  guestOS?: string;
  memSizeMB?: number;
  numvcpus?: number;
  /** Sectors per stored extent; only tests need to change the default. */
  extentSectors?: number;
}

const VM_ID_KEY = 'keylab.vmId';
const DEK_FINGERPRINT_KEY = 'ddb.keylab.dekFingerprint';
const PENDING_SUFFIX = '.keylab-recrypt';

/** vCenter names a VM's folder after the VM; '/' cannot be in a folder name, so it is escaped as VMware does. */
function folderBaseName(name: string): string {
  const base = name.replace(/%/g, '%25').replace(/\//g, '%2F');
  return base === '.' || base === '..' ? `${base}vm` : base;
}

function filesIn(db: KeylabDb, datastoreId: string, folder: string) {
  return db.datastoreFiles.where('[datastoreId+folder]').equals([datastoreId, folder]).toArray();
}

async function folderInUse(db: KeylabDb, datastoreId: string, folder: string): Promise<boolean> {
  if ((await db.datastoreFiles.where('[datastoreId+folder]').equals([datastoreId, folder]).count()) > 0) return true;
  const disks = await db.disks.where('datastoreId').equals(datastoreId).toArray();
  return disks.some((disk) => disk.path.startsWith(`${folder}/`));
}

/** Writes a new, unencrypted VM: its disk formatted with the guest file system and holding the guest files. */
export async function createVmFiles(db: KeylabDb, options: CreateVmFilesOptions): Promise<VmFiles> {
  const { vmId, name, datastoreId, diskSizeBytes, vtpm, guestFiles } = options;
  const base = folderBaseName(name);
  // Like vCenter, a name already taken on the datastore gets a suffix instead of sharing a folder.
  let folder = base;
  for (let n = 1; await folderInUse(db, datastoreId, folder); n++) folder = `${base}_${n}`;

  const diskId = `disk-${vmId}-${crypto.randomUUID()}`;
  const vmdkName = `${base}.vmdk`;
  const flatName = `${base}-flat.vmdk`;
  try {
    const disk = await createDisk(db, {
      diskId,
      datastoreId,
      path: `${folder}/${flatName}`,
      sizeBytes: diskSizeBytes,
      dek: null,
      extentSectors: options.extentSectors,
    });
    await formatGuestFs(disk);
    for (const file of guestFiles) await writeGuestFile(disk, file.name, file.text);

    const vmdk: VmdkDescriptor = { diskId, sizeBytes: diskSizeBytes, flatFile: flatName, encryptionKeys: null };
    const vmx: VmxModel = {
      displayName: name,
      guestOS: options.guestOS ?? 'other5xlinux-64',
      memSizeMB: options.memSizeMB ?? 2048,
      numvcpus: options.numvcpus ?? 2,
      vtpm,
      disks: [vmdkName],
      keySafe: null,
      encryptedData: null,
      extra: { [VM_ID_KEY]: vmId },
    };
    // The descriptor first, the .vmx last: a folder with a .vmx is a VM, so a crash in between leaves no half VM.
    await writeTextFile(db, datastoreId, `${folder}/${vmdkName}`, renderVmdkDescriptor(vmdk));
    await writeTextFile(db, datastoreId, `${folder}/${base}.vmx`, renderVmx(vmx));
  } catch (error) {
    await deleteFolder(db, datastoreId, folder).catch(() => undefined);
    throw error;
  }
  return readVmFiles(db, datastoreId, folder);
}

/** What readVmFiles parsed, kept so a later commit rewrites the files without losing anything it did not change. */
export interface VmFileSet {
  files: VmFiles;
  vmx: VmxModel;
  vmdk: VmdkDescriptor;
}

export async function readVmFiles(db: KeylabDb, datastoreId: string, folder: string): Promise<VmFiles> {
  return (await readVmFileSet(db, datastoreId, folder)).files;
}

export async function readVmFileSet(db: KeylabDb, datastoreId: string, folder: string): Promise<VmFileSet> {
  const rows = await filesIn(db, datastoreId, folder);
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
  const vmdkPath = `${folder}/${vmx.disks[0]}`;
  const vmdkText = await readTextFile(db, datastoreId, vmdkPath);
  if (vmdkText === undefined) {
    throw new VmDataError('VM_FILES_MISSING', `The disk descriptor ${datastoreId}/${vmdkPath} named by ${where} is missing.`);
  }
  const vmdk = parsed(`${datastoreId}/${vmdkPath}`, () => parseVmdkDescriptor(vmdkText));
  const header = await getDiskHeader(db, vmdk.diskId);
  if (!header) {
    throw new VmDataError('VM_FILES_MISSING', `The virtual disk ${vmdk.flatFile} of VM "${vmx.displayName}" is missing from the datastore.`);
  }
  if (header.sizeBytes !== vmdk.sizeBytes) {
    throw new VmDataError(
      'VM_FILES_CORRUPT',
      `${datastoreId}/${vmdkPath} says the disk holds ${vmdk.sizeBytes} bytes, but the stored disk holds ${header.sizeBytes}.`,
    );
  }
  const vmxBase = vmxRow.path.slice(folder === '' ? 0 : folder.length + 1, -'.vmx'.length);
  const pendingText = rows.find((row) => row.path === pendingPathOf(folder, vmxBase))?.text;
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
    encryption: encryptionOf(where, vmx, vmdk),
    pending: pendingText === undefined ? null : parsePending(`${datastoreId}/${pendingPathOf(folder, vmxBase)}`, pendingText),
  };
  return { files, vmx, vmdk };
}

function parsed<T>(where: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof VmwareFormatError) {
      throw new VmDataError('VM_FILES_CORRUPT', `${where} cannot be read: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function encryptionOf(where: string, vmx: VmxModel, vmdk: VmdkDescriptor): VmEncryption | null {
  if (vmx.keySafe === null && vmdk.encryptionKeys === null) return null;
  if (vmx.keySafe === null || vmdk.encryptionKeys === null || vmx.encryptedData === null) {
    throw new VmDataError(
      'VM_FILES_CORRUPT',
      `${where}: the .vmx and its disk descriptor disagree on whether the VM is encrypted (keySafe, encryption.data and ` +
        'encryptionKeys must all be there or all be absent).',
    );
  }
  const kek = parsed(`${where} (encryption.keySafe)`, () => parseKeyLocator(vmx.keySafe!));
  const dek = parsed(`${where} (descriptor encryptionKeys)`, () => parseKeyLocator(vmdk.encryptionKeys!));
  if (kek.providerId !== dek.providerId || kek.keyId !== dek.keyId) {
    throw new VmDataError(
      'VM_FILES_CORRUPT',
      `${where}: the .vmx names key ${kek.keyId} of provider ${kek.providerId}, but the disk's DEK is wrapped by key ` +
        `${dek.keyId} of provider ${dek.providerId}.`,
    );
  }
  return {
    providerId: kek.providerId,
    keyId: kek.keyId,
    wrappedDek: dek.wrappedKey,
    kekWrappedByKdk: kek.wrappedKey.length > 0 ? kek.wrappedKey : null,
    dekFingerprint: vmdk.extra?.[DEK_FINGERPRINT_KEY] ?? 'unknown',
    encryptedData: vmx.encryptedData,
  };
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

/** Deletes the VM's folder: files, disk and any re-encryption journal, in one transaction. */
export async function deleteVmFiles(db: KeylabDb, vm: Pick<VmFiles, 'datastoreId' | 'folder'>): Promise<void> {
  await deleteFolder(db, vm.datastoreId, vm.folder);
}

// ---- used by vm-crypto.ts ----

function pendingPathOf(folder: string, vmxBase: string): string {
  return `${folder === '' ? '' : `${folder}/`}${vmxBase}${PENDING_SUFFIX}`;
}

function pendingPath(vm: Pick<VmFiles, 'vmxPath'>): string {
  return `${vm.vmxPath.slice(0, -'.vmx'.length)}${PENDING_SUFFIX}`;
}

interface PendingJson {
  kind: VmOperationKind;
  target: null | (Omit<PendingTarget, 'wrappedDek' | 'kekWrappedByKdk'> & { wrappedDek: string; kekWrappedByKdk: string | null });
  startedAt: number;
}

function parsePending(where: string, text: string): PendingVmOperation {
  const bad = (why: string) => new VmDataError('VM_FILES_CORRUPT', `${where} (an interrupted operation's record) is damaged: ${why}.`);
  let json: PendingJson;
  try {
    json = JSON.parse(text) as PendingJson;
  } catch {
    throw bad('not JSON');
  }
  if (!['encrypt', 'decrypt', 'rekeyDeep'].includes(json.kind)) throw bad(`unknown operation ${String(json.kind)}`);
  if ((json.kind === 'decrypt') !== (json.target === null)) throw bad('its target key does not fit the operation');
  let target: PendingTarget | null = null;
  if (json.target) {
    const wrappedDek = base64ToBytes(json.target.wrappedDek);
    const kekWrappedByKdk = json.target.kekWrappedByKdk === null ? null : base64ToBytes(json.target.kekWrappedByKdk);
    if (!wrappedDek || (json.target.kekWrappedByKdk !== null && !kekWrappedByKdk)) throw bad('a wrapped key is not base64');
    target = { ...json.target, wrappedDek, kekWrappedByKdk };
  }
  return { kind: json.kind, target, startedAt: json.startedAt };
}

/** Persists the pending operation BEFORE any sector moves, so a reload knows which keys are needed to finish it. */
export async function writePendingOperation(db: KeylabDb, vm: VmFiles, pending: PendingVmOperation): Promise<void> {
  const json: PendingJson = {
    kind: pending.kind,
    startedAt: pending.startedAt,
    target: pending.target && {
      ...pending.target,
      wrappedDek: bytesToBase64(pending.target.wrappedDek),
      kekWrappedByKdk: pending.target.kekWrappedByKdk && bytesToBase64(pending.target.kekWrappedByKdk),
    },
  };
  await writeTextFile(db, vm.datastoreId, pendingPath(vm), `${JSON.stringify(json, null, 2)}\n`);
}

/**
 * Rewrites the .vmx and the descriptor for a new encryption state and removes the pending record, in ONE transaction:
 * the VM's files name either the old key or the new one, never a mix.
 */
export async function commitVmEncryption(db: KeylabDb, set: VmFileSet, encryption: VmEncryption | null): Promise<void> {
  const vmx: VmxModel = {
    ...set.vmx,
    keySafe:
      encryption &&
      formatKeyLocator({
        providerId: encryption.providerId,
        keyId: encryption.keyId,
        wrappedKey: encryption.kekWrappedByKdk ?? new Uint8Array(0),
      }),
    encryptedData: encryption && encryption.encryptedData,
  };
  const extra = { ...(set.vmdk.extra ?? {}) };
  delete extra[DEK_FINGERPRINT_KEY];
  if (encryption) extra[DEK_FINGERPRINT_KEY] = encryption.dekFingerprint;
  const vmdk: VmdkDescriptor = {
    diskId: set.vmdk.diskId,
    sizeBytes: set.vmdk.sizeBytes,
    flatFile: set.vmdk.flatFile,
    encryptionKeys:
      encryption &&
      formatKeyLocator({ providerId: encryption.providerId, keyId: encryption.keyId, wrappedKey: encryption.wrappedDek }),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
  await writeVmTexts(db, set.files, renderVmx(vmx), renderVmdkDescriptor(vmdk), true);
}

/** Turns the vTPM flag of the .vmx on or off (the caller checks vSphere's rules). */
export async function setVmVtpm(db: KeylabDb, vm: Pick<VmFiles, 'datastoreId' | 'folder'>, vtpm: boolean): Promise<VmFiles> {
  const set = await readVmFileSet(db, vm.datastoreId, vm.folder);
  const vmx = renderVmx({ ...set.vmx, vtpm });
  await writeVmTexts(db, set.files, vmx, null, false);
  return readVmFiles(db, vm.datastoreId, vm.folder);
}

async function writeVmTexts(db: KeylabDb, vm: VmFiles, vmxText: string, vmdkText: string | null, clearPending: boolean) {
  const now = Date.now();
  await mapQuota(() =>
    db.transaction('rw', db.datastoreFiles, async () => {
    const rows = [{ datastoreId: vm.datastoreId, path: vm.vmxPath, folder: vm.folder, text: vmxText, modifiedAt: now }];
    if (vmdkText !== null) rows.push({ datastoreId: vm.datastoreId, path: vm.vmdkPath, folder: vm.folder, text: vmdkText, modifiedAt: now });
    await db.datastoreFiles.bulkPut(rows);
    if (clearPending) await db.datastoreFiles.delete([vm.datastoreId, pendingPath(vm)]);
    }),
  );
}
