// A VM's folder on a datastore: its .vmx, its disk descriptor (.vmdk), its virtual disk and, while an encrypt, decrypt
// or deep re-key is under way, the pending-operation record. Creating, reading back, listing, deleting, committing.
//
// Keys are recorded in VMware's forms (DESIGN §4a):
//   .vmx  encryption.keySafe = key locator of the KEK (provider name, KEK id; no key in it: an NKP KEK is derived
//                              from the KDK and this ID, so a vCenter holding the KDK recovers it from the files alone)
//         keylab.nkpKeyId    = NKP only: the key ID of the KDK the KEK is derived from
//   .nvram                   = a vTPM's state, sealed under the KEK (vm-nvram.ts)
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
import { base64ToBytes, bytesToBase64 } from '@/lib/base64';
import { sealVmConfig } from './encrypted-config';
import { VmDataError } from './errors';
import { buildGuestImage } from './guest-image';
import { newDekUnder, vmConfigFor, type DekTarget, type KekRef } from './new-dek';

/** The VM home's key, from the .vmx: set whenever the VM is encrypted, its disks too or only its home (a vTPM's case). */
export interface VmHomeEncryption {
  /** The key provider's name, as written in the key locator. */
  providerId: string;
  /** The KEK's key ID. */
  keyId: string;
  /** NKP only: the key ID of the provider's KDK the KEK is derived from (the .vmx's keylab.nkpKeyId). */
  kdkKeyId: string | null;
  /** The .vmx's encryption.data (base64), openable with the KEK. */
  encryptedData: string;
  /**
   * Only in a lab saved before NKP KEKs were derived: the KEK wrapped by the KDK in the key locator (nkp-key-upgrade.ts
   * replaces it with a derived KEK when the lab opens). Null otherwise.
   */
  legacyKekWrappedByKdk?: Uint8Array | null;
}

/** The disks' encryption: the VM home's key, plus the DEK it wraps. */
export interface VmEncryption extends VmHomeEncryption {
  /** The DEK wrapped by the KEK (AES-KW), from the descriptor's encryptionKeys. */
  wrappedDek: Uint8Array;
  /** Names the DEK on screen; changes on deep re-key only. */
  dekFingerprint: string;
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
  /** The vTPM's state file (sealed under the VM home's key), or null without a vTPM. */
  nvramPath: string | null;
  /** The VM home's key: set when the VM is encrypted, disks or VM home only ("encryption" then null). */
  home: VmHomeEncryption | null;
  /** The disks' encryption, as the files say now (during an interrupted operation: still the old key). */
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
/** NKP: the KDK's key ID, so a vCenter or host can tell which provider's KDK the KEK is derived from. */
const NKP_KEY_ID_KEY = 'keylab.nkpKeyId';
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
    ({ vmx, vmdk: descriptor } = withKeys(vmx, vmdk, encryption, encryption));
  }
  const vmdkPath = `${folder}/${vmdkName}`;
  const vmxPath = `${folder}/${base}.vmx`;
  const files = [
    { datastoreId, path: vmdkPath, text: renderVmdkDescriptor(descriptor) },
    { datastoreId, path: vmxPath, text: renderVmx(vmx) },
  ];
  // What readVmFiles will read back from these files (the tests hold the two to be equal).
  if (vtpm) throw new VmDataError('VM_FILES_CORRUPT', `VM "${name}": a new VM gets its Virtual TPM by addVtpm, which seals its .nvram under a key.`);
  const vm: VmFiles = { vmId, name, datastoreId, folder, vmxPath, vmdkPath, diskId, diskSizeBytes, vtpm, nvramPath: null, home: encryption && homeKeyOf(encryption), encryption, pending: null };
  return { disk, files, vm };
}

/** What readVmFiles parsed, kept so a later commit rewrites the files without losing anything it did not change. */
export interface VmFileSet {
  files: VmFiles;
  vmx: VmxModel;
  vmdk: VmdkDescriptor;
  /** The .nvram's text (a vTPM's sealed state), or null. */
  nvramText: string | null;
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

/** The .nvram that goes with a .vmx: same folder and base name. */
function nvramPathOf(vmxPath: string): string {
  return `${vmxPath.slice(0, -'.vmx'.length)}.nvram`;
}

/** The VM home's key (.vmx keySafe and encryption.data) and, when the descriptor names a DEK, the disks' encryption. */
function keysOf(where: string, vmx: VmxModel, vmdk: VmdkDescriptor): { home: VmHomeEncryption | null; encryption: VmEncryption | null } {
  if (vmx.keySafe === null && vmdk.encryptionKeys === null) return { home: null, encryption: null };
  if ((vmx.keySafe === null) !== (vmx.encryptedData === null)) {
    throw new VmDataError('VM_FILES_CORRUPT', `${where}: encryption.keySafe and encryption.data disagree on whether the VM home is encrypted (both must be there, or neither).`);
  }
  if (vmx.keySafe === null || vmx.encryptedData === null) {
    throw new VmDataError(
      'VM_FILES_CORRUPT',
      `${where}: the .vmx and its disk descriptor disagree on whether the VM is encrypted (an encrypted disk needs the ` +
        '.vmx\'s encryption.keySafe and encryption.data, under the same key).',
    );
  }
  const kek = parsed(`${where} (encryption.keySafe)`, () => parseKeyLocator(vmx.keySafe!));
  const home: VmHomeEncryption = {
    providerId: kek.providerId,
    keyId: kek.keyId,
    kdkKeyId: vmx.extra[NKP_KEY_ID_KEY] ?? null,
    encryptedData: vmx.encryptedData,
    ...(kek.wrappedKey.length > 0 ? { legacyKekWrappedByKdk: kek.wrappedKey } : {}),
  };
  if (vmdk.encryptionKeys === null) return { home, encryption: null };
  const dek = parsed(`${where} (descriptor encryptionKeys)`, () => parseKeyLocator(vmdk.encryptionKeys!));
  if (kek.providerId !== dek.providerId || kek.keyId !== dek.keyId) {
    throw new VmDataError(
      'VM_FILES_CORRUPT',
      `${where}: the .vmx names key ${kek.keyId} of provider ${kek.providerId}, but the disk's DEK is wrapped by key ` +
        `${dek.keyId} of provider ${dek.providerId}.`,
    );
  }
  return { home, encryption: { ...home, wrappedDek: dek.wrappedKey, dekFingerprint: vmdk.extra?.[DEK_FINGERPRINT_KEY] ?? 'unknown' } };
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
  target: null | (Omit<PendingTarget, 'wrappedDek'> & { wrappedDek: string });
  startedAt: number;
}

function parsePending(where: string, text: string): PendingVmOperation {
  const bad = (why: string) => new VmDataError('VM_FILES_CORRUPT', `${where} (an interrupted operation's record) is damaged: ${why}.`);
  let json: PendingJson & { target: null | { kekWrappedByKdk?: unknown } };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw bad('not JSON');
  }
  if (!['encrypt', 'decrypt', 'rekeyDeep'].includes(json.kind)) throw bad(`unknown operation ${String(json.kind)}`);
  if ((json.kind === 'decrypt') !== (json.target === null)) throw bad('its target key does not fit the operation');
  let target: PendingTarget | null = null;
  if (json.target) {
    if (json.target.kekWrappedByKdk) {
      throw bad('it was written by an earlier keylab, whose NKP keys were wrapped rather than derived; reset the lab');
    }
    const wrappedDek = base64ToBytes(json.target.wrappedDek);
    if (!wrappedDek) throw bad('a wrapped key is not base64');
    target = { ...json.target, kdkKeyId: json.target.kdkKeyId ?? null, wrappedDek };
  }
  return { kind: json.kind, target, startedAt: json.startedAt };
}

/** Persists the pending operation BEFORE any sector moves, so a reload knows which keys are needed to finish it. */
export async function writePendingOperation(db: KeylabDb, vm: VmFiles, pending: PendingVmOperation): Promise<void> {
  const json: PendingJson = {
    kind: pending.kind,
    startedAt: pending.startedAt,
    target: pending.target && { ...pending.target, wrappedDek: bytesToBase64(pending.target.wrappedDek) },
  };
  await writeTextFile(db, vm.datastoreId, pendingPath(vm), `${JSON.stringify(json, null, 2)}\n`);
}

export function encryptionFromTarget(target: DekTarget, encryptedData: string): VmEncryption {
  return {
    providerId: target.providerId,
    keyId: target.keyId,
    wrappedDek: target.wrappedDek,
    kdkKeyId: target.kdkKeyId,
    dekFingerprint: target.dekFingerprint,
    encryptedData,
  };
}

/** The .vmx and descriptor models for the VM home's key and the disks' encryption (null: not encrypted). */
function withKeys(vmx: VmxModel, vmdk: VmdkDescriptor, home: VmHomeEncryption | null, disk: VmEncryption | null) {
  const vmxExtra = { ...vmx.extra };
  delete vmxExtra[NKP_KEY_ID_KEY];
  if (home?.kdkKeyId) vmxExtra[NKP_KEY_ID_KEY] = home.kdkKeyId;
  const nextVmx: VmxModel = {
    ...vmx,
    // NKP keys are derived from the KDK and the key ID, so the locator carries no wrapped key for them (nor for a
    // standard provider's, which stays on the KMS).
    keySafe: home && formatKeyLocator({ providerId: home.providerId, keyId: home.keyId, wrappedKey: new Uint8Array(0) }),
    encryptedData: home && home.encryptedData,
    extra: vmxExtra,
  };
  const extra = { ...(vmdk.extra ?? {}) };
  delete extra[DEK_FINGERPRINT_KEY];
  // Cosmetic, like ddb.uuid: four bytes of a hash that name the DEK on screen and reveal nothing usable about it.
  if (disk) extra[DEK_FINGERPRINT_KEY] = disk.dekFingerprint;
  const nextVmdk: VmdkDescriptor = {
    diskId: vmdk.diskId,
    sizeBytes: vmdk.sizeBytes,
    flatFile: vmdk.flatFile,
    encryptionKeys: disk && formatKeyLocator({ providerId: disk.providerId, keyId: disk.keyId, wrappedKey: disk.wrappedDek }),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
  return { vmx: nextVmx, vmdk: nextVmdk };
}

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

/** The VM home's key fields of an encryption (the disks' key is the VM home's key). */
export function homeKeyOf(e: VmHomeEncryption): VmHomeEncryption {
  return { providerId: e.providerId, keyId: e.keyId, kdkKeyId: e.kdkKeyId, encryptedData: e.encryptedData };
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
