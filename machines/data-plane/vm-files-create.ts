// Creating VMs: a new VM's folder on a datastore (.vmx, descriptor and its virtual disk, formatted with the guest
// files), one VM or a scenario's many in batches, each batch one transaction; and deleting a VM's folder.
import { deleteFolder, foldersInUse, prepareDisk, writeNewFolders, type KeylabDb } from '@/lib/storage';
import { renderVmdkDescriptor, renderVmx, type VmdkDescriptor, type VmxModel } from '@/lib/vmware';
import { sealVmConfig } from './encrypted-config';
import { VmDataError } from './errors';
import { buildGuestImage } from './guest-image';
import { newDekUnder, vmConfigFor, type KekRef } from './new-dek';
import { VM_ID_KEY, withKeys } from './vm-file-keys';
import { encryptionFromTarget, homeKeyOf, type VmEncryption, type VmFiles } from './vm-files-model';

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

/** vCenter names a VM's folder after the VM; '/' cannot be in a folder name, so it is escaped as VMware does. */
function folderBaseName(name: string): string {
  const base = name.replace(/%/g, '%25').replace(/\//g, '%2F');
  return base === '.' || base === '..' ? `${base}vm` : base;
}

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

/** Deletes the VM's folder: files, disk and any re-encryption journal, in one transaction. */
export async function deleteVmFiles(db: KeylabDb, vm: Pick<VmFiles, 'datastoreId' | 'folder'>): Promise<void> {
  await deleteFolder(db, vm.datastoreId, vm.folder);
}
