// A VM's folder on a datastore: its .vmx, its disk descriptor (.vmdk), its virtual disk and, while an encrypt, decrypt
// or deep re-key is under way, the pending-operation record. Creating, reading back, listing, deleting, committing.
//
// Keys are recorded in VMware's forms (DESIGN §4a):
//   .vmx  encryption.keySafe = key locator of the KEK (provider name, KEK id; for NKP it carries the KEK wrapped by
//                              the KDK, so a vCenter holding the KDK can recover the KEK from the files alone)
//         encryption.data    = the encrypted configuration (see encrypted-config.ts)
//   .vmdk encryptionKeys     = key locator carrying the DEK wrapped by the KEK
// The lab's own bookkeeping rides in keys VMware tolerates: keylab.vmId in the .vmx, ddb.keylab.* in the descriptor.
import { Dexie } from 'dexie';
import {
  deleteFolder,
  foldersInUse,
  mapQuota,
  prepareDisk,
  writeNewFolders,
  writeTextFile,
  type DatastoreFileRow,
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

function filesOfDatastore(db: KeylabDb, datastoreId: string) {
  return db.datastoreFiles.where('[datastoreId+path]').between([datastoreId, Dexie.minKey], [datastoreId, Dexie.maxKey], true, true).toArray();
}

/** From this many VMs on, readVmFileSetsSettled reads whole datastores instead of folder by folder. */
const WHOLE_DATASTORE_READ = 16;

/** Folders being created right now (their files are not written yet), so two VMs of one name never share one. */
const reserved = new Set<string>();

/** VMs written per transaction by createVmFilesMany: big enough to make round trips rare, small enough to overlap. */
const VMS_PER_WRITE = 50;

/**
 * Writes a new VM: its .vmx, its descriptor and its disk, formatted with the guest file system and holding the guest
 * files; plain, or sealed from the first write when `encryption` is given. One transaction: no half VM is ever stored.
 */
export async function createVmFiles(db: KeylabDb, options: CreateVmFilesOptions): Promise<VmFiles> {
  return (await createVmFilesMany(db, [options]))[0]!;
}

/**
 * createVmFiles for many VMs (a scenario's world): the folders are chosen with one read per datastore, each VM's keys,
 * disk and files are built in memory, and they are stored a batch of VMs per transaction, each batch all or none
 * (a batch is built while the one before it is being written). Returns the VMs' files in the order given.
 */
export async function createVmFilesMany(db: KeylabDb, options: readonly CreateVmFilesOptions[]): Promise<VmFiles[]> {
  const claims: string[] = [];
  try {
    const used = new Map<string, Set<string>>();
    for (const datastoreId of new Set(options.map((o) => o.datastoreId))) used.set(datastoreId, await foldersInUse(db, datastoreId));
    // Checked and taken with no await in between, so concurrent creations cannot pick the same folder.
    const folders = options.map(({ name, datastoreId }) => {
      const base = folderBaseName(name);
      // Like vCenter, a name already taken on the datastore gets a suffix instead of sharing a folder.
      let folder = base;
      for (let n = 1; used.get(datastoreId)!.has(folder) || reserved.has(JSON.stringify([db.name, datastoreId, folder])); n++) folder = `${base}_${n}`;
      const claim = JSON.stringify([db.name, datastoreId, folder]);
      reserved.add(claim);
      claims.push(claim);
      return folder;
    });

    const out: VmFiles[] = [];
    let writing: Promise<void> = Promise.resolve();
    for (let at = 0; at < options.length; at += VMS_PER_WRITE) {
      const batch = await Promise.all(options.slice(at, at + VMS_PER_WRITE).map((o, i) => buildNewVm(o, folders[at + i]!)));
      await writing;
      writing = writeNewFolders(db, { disks: batch.map((vm) => vm.disk), files: batch.flatMap((vm) => vm.files) });
      // Awaited in the next round (or below); this only keeps a failure from being reported as unhandled meanwhile.
      writing.catch(() => undefined);
      out.push(...batch.map((built) => built.vm));
    }
    await writing;
    return out;
  } finally {
    for (const claim of claims) reserved.delete(claim);
  }
}

/** A new VM in memory: its disk (header and sealed extents), its descriptor and .vmx, and the files as they will read. */
async function buildNewVm(options: CreateVmFilesOptions, folder: string) {
  const { vmId, name, datastoreId, diskSizeBytes, vtpm, guestFiles } = options;
  const base = folderBaseName(name);
  const diskId = `disk-${vmId}-${crypto.randomUUID()}`;
  const vmdkName = `${base}.vmdk`;
  const flatName = `${base}-flat.vmdk`;
  const keys = options.encryption ? await newDekUnder(options.encryption) : null;
  const disk = await prepareDisk(
    {
      diskId,
      datastoreId,
      path: `${folder}/${flatName}`,
      sizeBytes: diskSizeBytes,
      dek: keys?.dek ?? null,
      keyTag: keys?.target.keyTag ?? null,
      extentSectors: options.extentSectors,
    },
    await buildGuestImage(diskId, diskSizeBytes, guestFiles),
  );

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
  let encryption: VmEncryption | null = null;
  if (keys) {
    encryption = encryptionFromTarget(
      keys.target,
      await sealVmConfig(vmConfigFor({ vmId, diskId }, vmdkName, keys.target.keyId), options.encryption!.key),
    );
    ({ vmx, vmdk: descriptor } = withEncryption(vmx, vmdk, encryption));
  }
  const vmdkPath = `${folder}/${vmdkName}`;
  const vmxPath = `${folder}/${base}.vmx`;
  const files = [
    { datastoreId, path: vmdkPath, text: renderVmdkDescriptor(descriptor) },
    { datastoreId, path: vmxPath, text: renderVmx(vmx) },
  ];
  // What readVmFiles will read back from these files (the tests hold the two to be equal).
  const vm: VmFiles = { vmId, name, datastoreId, folder, vmxPath, vmdkPath, diskId, diskSizeBytes, vtpm, encryption, pending: null };
  return { disk, files, vm };
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
function diskIdHints(rows: readonly { path: string; text: string }[]): string[] {
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
  return (await commitVmEncryptionMany(db, [{ set, encryption }]))[0]!;
}

/** commitVmEncryption for many VMs in ONE transaction: all of them move to their new keys, or none does. */
export async function commitVmEncryptionMany(
  db: KeylabDb,
  commits: readonly { set: VmFileSet; encryption: VmEncryption | null }[],
): Promise<VmFiles[]> {
  const writes = commits.map(({ set, encryption }) => {
    const next = withEncryption(set.vmx, set.vmdk, encryption);
    return { vm: set.files, vmxText: renderVmx(next.vmx), vmdkText: renderVmdkDescriptor(next.vmdk) };
  });
  await writeVmTexts(db, writes, true);
  return commits.map(({ set, encryption }) => ({ ...set.files, encryption, pending: null }));
}

/** Turns the vTPM flag of the .vmx on or off (the caller checks vSphere's rules). */
export async function setVmVtpm(db: KeylabDb, vm: Pick<VmFiles, 'datastoreId' | 'folder'>, vtpm: boolean): Promise<VmFiles> {
  const set = await readVmFileSet(db, vm.datastoreId, vm.folder);
  await writeVmTexts(db, [{ vm: set.files, vmxText: renderVmx({ ...set.vmx, vtpm }), vmdkText: null }], false);
  return readVmFiles(db, vm.datastoreId, vm.folder);
}

async function writeVmTexts(
  db: KeylabDb,
  writes: readonly { vm: VmFiles; vmxText: string; vmdkText: string | null }[],
  clearPending: boolean,
) {
  if (writes.length === 0) return;
  const now = Date.now();
  const rows: DatastoreFileRow[] = [];
  for (const { vm, vmxText, vmdkText } of writes) {
    rows.push({ datastoreId: vm.datastoreId, path: vm.vmxPath, folder: vm.folder, text: vmxText, modifiedAt: now });
    if (vmdkText !== null) rows.push({ datastoreId: vm.datastoreId, path: vm.vmdkPath, folder: vm.folder, text: vmdkText, modifiedAt: now });
  }
  await mapQuota(() =>
    db.transaction('rw', db.datastoreFiles, async () => {
      await db.datastoreFiles.bulkPut(rows);
      // Only a VM read with a pending record has one (commands run one at a time, so none appeared since).
      const pending = clearPending ? writes.filter(({ vm }) => vm.pending !== null) : [];
      if (pending.length > 0) await db.datastoreFiles.bulkDelete(pending.map(({ vm }) => [vm.datastoreId, pendingPath(vm)] as [string, string]));
    }),
  );
}
