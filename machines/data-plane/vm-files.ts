// A VM's folder on a datastore: its .vmx, its disk descriptor (.vmdk), its virtual disk and, while an encrypt, decrypt
// or deep re-key is under way, the pending-operation record. Creating, reading back, listing, deleting, committing.
//
// Keys are recorded in VMware's forms (DESIGN §4a):
//   .vmx  encryption.keySafe = key locator of the KEK (provider name, KEK id; for NKP it carries the KEK wrapped by
//                              the KDK, so a vCenter holding the KDK can recover the KEK from the files alone)
//         encryption.data    = the encrypted configuration (see encrypted-config.ts)
//   .vmdk encryptionKeys     = key locator carrying the DEK wrapped by the KEK
// The lab's own bookkeeping rides in keys VMware tolerates: keylab.vmId in the .vmx, ddb.keylab.* in the descriptor.
import {
  createDisk,
  deleteFolder,
  mapQuota,
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
import { sealVmConfig } from './encrypted-config';
import { VmDataError } from './errors';
import { buildGuestImage } from './guest-image';
import { newDekUnder, vmConfigFor, type DekTarget, type KekRef } from './new-dek';

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
export type PendingTarget = DekTarget;

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
  /**
   * Create the VM encrypted from the start (vSphere's "encrypt new VM"): the disk is sealed under a fresh DEK from its
   * first write, so no plaintext is ever stored, and no whole-disk pass is needed.
   */
  encryption?: KekRef;
  /** Sectors per stored extent (lib/storage's measured default when omitted). */
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

/** Folders being created right now (their files are not written yet), so two VMs of one name never share one. */
const reserved = new Set<string>();

/**
 * Writes a new VM: its .vmx, its descriptor and its disk, formatted with the guest file system and holding the guest
 * files; plain, or sealed from the first write when `encryption` is given.
 */
export async function createVmFiles(db: KeylabDb, options: CreateVmFilesOptions): Promise<VmFiles> {
  const { name, datastoreId } = options;
  const base = folderBaseName(name);
  // Like vCenter, a name already taken on the datastore gets a suffix instead of sharing a folder.
  let folder = base;
  let claim = '';
  for (let n = 1; ; n++) {
    const inUse = await folderInUse(db, datastoreId, folder);
    claim = JSON.stringify([db.name, datastoreId, folder]);
    // Checked and taken with no await in between, so concurrent creations cannot pick the same folder.
    if (!inUse && !reserved.has(claim)) break;
    folder = `${base}_${n}`;
  }
  reserved.add(claim);
  try {
    return await writeNewVm(db, options, folder, base);
  } finally {
    reserved.delete(claim);
  }
}

async function writeNewVm(db: KeylabDb, options: CreateVmFilesOptions, folder: string, base: string): Promise<VmFiles> {
  const { vmId, name, datastoreId, diskSizeBytes, vtpm, guestFiles } = options;

  const diskId = `disk-${vmId}-${crypto.randomUUID()}`;
  const vmdkName = `${base}.vmdk`;
  const flatName = `${base}-flat.vmdk`;
  const keys = options.encryption ? await newDekUnder(options.encryption) : null;
  try {
    const disk = await createDisk(db, {
      diskId,
      datastoreId,
      path: `${folder}/${flatName}`,
      sizeBytes: diskSizeBytes,
      dek: keys?.dek ?? null,
      keyTag: keys?.target.keyTag ?? null,
      extentSectors: options.extentSectors,
    });
    await disk.write(0, await buildGuestImage(diskId, diskSizeBytes, guestFiles));

    const vmdk: VmdkDescriptor = { diskId, sizeBytes: diskSizeBytes, flatFile: flatName, encryptionKeys: null };
    let vmx: VmxModel = {
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
    let descriptor = vmdk;
    if (keys) {
      const encryption = encryptionFromTarget(
        keys.target,
        await sealVmConfig(vmConfigFor({ vmId, diskId }, vmdkName, keys.target.keyId), options.encryption!.key),
      );
      ({ vmx, vmdk: descriptor } = withEncryption(vmx, vmdk, encryption));
    }
    // The descriptor first, the .vmx last: a folder with a .vmx is a VM, so a crash in between leaves no half VM.
    await writeTextFile(db, datastoreId, `${folder}/${vmdkName}`, renderVmdkDescriptor(descriptor));
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
  // One read transaction: the files and the disk header are seen at the same moment, and it costs one round trip.
  const { rows, headers } = await db.transaction('r', db.datastoreFiles, db.disks, async () => {
    const rows = await filesIn(db, datastoreId, folder);
    return { rows, headers: await db.disks.bulkGet(diskIdHints(rows)) };
  });
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
    pending: pendingRow === undefined ? null : parsePending(`${datastoreId}/${pendingRow.path}`, pendingRow.text),
  };
  return { files, vmx, vmdk };
}

/** The disk IDs the folder's descriptors name, found cheaply so the headers can be read in the same transaction. */
function diskIdHints(rows: { path: string; text: string }[]): string[] {
  const ids: string[] = [];
  for (const row of rows) {
    if (!row.path.toLowerCase().endsWith('.vmdk')) continue;
    const match = /^ddb\.keylab\.diskId\s*=\s*"([^"]+)"/m.exec(row.text);
    if (match) ids.push(match[1]!);
  }
  return ids;
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

function pendingPath(vm: { vmxPath: string } | { path: string }): string {
  const vmxPath = 'vmxPath' in vm ? vm.vmxPath : vm.path;
  return `${vmxPath.slice(0, -'.vmx'.length)}${PENDING_SUFFIX}`;
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

export function encryptionFromTarget(target: DekTarget, encryptedData: string): VmEncryption {
  return {
    providerId: target.providerId,
    keyId: target.keyId,
    wrappedDek: target.wrappedDek,
    kekWrappedByKdk: target.kekWrappedByKdk,
    dekFingerprint: target.dekFingerprint,
    encryptedData,
  };
}

/** The .vmx and descriptor models for an encryption state (null: not encrypted). */
function withEncryption(vmx: VmxModel, vmdk: VmdkDescriptor, encryption: VmEncryption | null) {
  const nextVmx: VmxModel = {
    ...vmx,
    keySafe:
      encryption &&
      formatKeyLocator({
        providerId: encryption.providerId,
        keyId: encryption.keyId,
        wrappedKey: encryption.kekWrappedByKdk ?? new Uint8Array(0),
      }),
    encryptedData: encryption && encryption.encryptedData,
  };
  const extra = { ...(vmdk.extra ?? {}) };
  delete extra[DEK_FINGERPRINT_KEY];
  // Cosmetic, like ddb.uuid: four bytes of a hash that name the DEK on screen and reveal nothing usable about it.
  if (encryption) extra[DEK_FINGERPRINT_KEY] = encryption.dekFingerprint;
  const nextVmdk: VmdkDescriptor = {
    diskId: vmdk.diskId,
    sizeBytes: vmdk.sizeBytes,
    flatFile: vmdk.flatFile,
    encryptionKeys:
      encryption &&
      formatKeyLocator({ providerId: encryption.providerId, keyId: encryption.keyId, wrappedKey: encryption.wrappedDek }),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
  return { vmx: nextVmx, vmdk: nextVmdk };
}

/**
 * Rewrites the .vmx and the descriptor for a new encryption state and removes the pending record, in ONE transaction:
 * the VM's files name either the old key or the new one, never a mix. Returns the VM's files as now written.
 */
export async function commitVmEncryption(db: KeylabDb, set: VmFileSet, encryption: VmEncryption | null): Promise<VmFiles> {
  const next = withEncryption(set.vmx, set.vmdk, encryption);
  await writeVmTexts(db, set.files, renderVmx(next.vmx), renderVmdkDescriptor(next.vmdk), true);
  return { ...set.files, encryption, pending: null };
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
