// A VM's folder on a datastore: created with real VMware files and a formatted disk, read back, listed, refused clearly
// when missing or damaged, deleted whole.
import { afterEach, describe, expect, it } from 'vitest';
import { DiskExtentMissingError, StorageFullError, listFolder, listDisks, readTextFile, writeTextFile, type KeylabDb } from '@/lib/storage';
import { failingDb, quotaError } from '@/lib/storage/test-support';
import { parseVmdkDescriptor, parseVmx } from '@/lib/vmware';
import { VmDataError } from './errors';
import { listGuestFiles, readGuestFile } from './guest-disk';
import { sealVmConfig } from './encrypted-config';
import { DATASTORE, GUEST_FILES, TEST_DISK_BYTES, createTestVm, errorOf, nkpKek, openTestDb } from './test-support';
import { newVtpmState, openNvram, sealNvram } from './vm-nvram';
import { deleteVtpmFiles, writeVtpmFiles } from './vm-files-commit';
import { createVmFiles, createVmFilesMany, deleteVmFiles } from './vm-files-create';
import { listVmFolders, readVmFileSet, readVmFiles } from './vm-files-read';

const opened: KeylabDb[] = [];
function db(label: string): KeylabDb {
  const d = openTestDb(label);
  opened.push(d);
  return d;
}
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

async function expectCode(promise: Promise<unknown>, code: string, text?: RegExp) {
  const error = await errorOf(promise);
  expect(error).toBeInstanceOf(VmDataError);
  expect((error as VmDataError).code).toBe(code);
  if (text) expect((error as Error).message).toMatch(text);
}

describe('VM files', () => {
  it('creates a folder with a real .vmx, a descriptor and a disk holding the guest files', async () => {
    const d = db('create');
    const vm = await createTestVm(d, 'db-01', 'vm-db-01');
    expect(vm).toMatchObject({
      vmId: 'vm-db-01',
      name: 'db-01',
      datastoreId: DATASTORE,
      folder: 'db-01',
      vmxPath: 'db-01/db-01.vmx',
      vmdkPath: 'db-01/db-01.vmdk',
      diskSizeBytes: TEST_DISK_BYTES,
      vtpm: false,
      encryption: null,
      pending: null,
    });
    const names = (await listFolder(d, DATASTORE, 'db-01')).map((e) => `${e.kind}:${e.name}`);
    expect(names).toEqual(['disk:db-01-flat.vmdk', 'file:db-01.vmdk', 'file:db-01.vmx']);

    const vmx = parseVmx((await readTextFile(d, DATASTORE, vm.vmxPath))!);
    expect(vmx.displayName).toBe('db-01');
    expect(vmx.disks).toEqual(['db-01.vmdk']);
    expect(vmx.keySafe).toBeNull();
    const vmdk = parseVmdkDescriptor((await readTextFile(d, DATASTORE, vm.vmdkPath))!);
    expect(vmdk).toMatchObject({ diskId: vm.diskId, sizeBytes: TEST_DISK_BYTES, flatFile: 'db-01-flat.vmdk', encryptionKeys: null });

    expect(await listGuestFiles(d, vm, null)).toEqual(
      GUEST_FILES.map((f) => ({ name: f.name, size: new TextEncoder().encode(f.text).length })).sort((a, b) =>
        a.name < b.name ? -1 : 1,
      ),
    );
    for (const file of GUEST_FILES) expect(await readGuestFile(d, vm, null, file.name)).toBe(file.text);
    expect(await readVmFiles(d, DATASTORE, 'db-01')).toEqual(vm);
  });

  it('gives a second VM of the same name its own folder, and lists VM folders only', async () => {
    const d = db('twice');
    const a = await createTestVm(d, 'web', 'vm-a');
    const b = await createTestVm(d, 'web', 'vm-b');
    const c = await createTestVm(d, 'a/b', 'vm-c');
    expect([a.folder, b.folder, c.folder]).toEqual(['web', 'web_1', 'a%2Fb']);
    await writeTextFile(d, DATASTORE, 'iso/readme.txt', 'not a VM');
    expect(await listVmFolders(d, DATASTORE)).toEqual(['a%2Fb', 'web', 'web_1']);
    expect((await readVmFiles(d, DATASTORE, 'web_1')).vmId).toBe('vm-b');
    expect(await listVmFolders(d, 'other-datastore')).toEqual([]);
  });

  it('gives VMs of one name created at the same time folders of their own', async () => {
    const d = db('concurrent');
    const vms = await Promise.all([1, 2, 3, 4].map((i) => createTestVm(d, 'same', `vm-${i}`)));
    expect(new Set(vms.map((vm) => vm.folder)).size).toBe(4);
    expect(await listVmFolders(d, DATASTORE)).toEqual(['same', 'same_1', 'same_2', 'same_3']);
    for (const vm of vms) expect((await readVmFiles(d, DATASTORE, vm.folder)).vmId).toBe(vm.vmId);
  });

  it('creates many VMs a batch per transaction, each in its own folder, returning what a reload reads', async () => {
    const d = db('many');
    let transactions = 0;
    d.use({ stack: 'dbcore', name: 'count', create: (down) => ({ ...down, transaction: (...args) => (transactions++, down.transaction(...args)) }) });
    await createTestVm(d, 'web', 'vm-0');
    const options = Array.from({ length: 60 }, (_, i) => ({
      vmId: `vm-${i + 1}`,
      name: i % 2 === 0 ? 'web' : `app-${i}`,
      datastoreId: DATASTORE,
      diskSizeBytes: TEST_DISK_BYTES,
      vtpm: false,
      guestFiles: [{ name: 'id.txt', text: `vm ${i + 1}\n` }],
      extentSectors: 15,
    }));
    transactions = 0;
    const vms = await createVmFilesMany(d, options);
    expect(transactions).toBe(3); // the datastore's folders read once, then 50 VMs and 10 VMs
    expect(vms.map((vm) => vm.vmId)).toEqual(options.map((o) => o.vmId));
    expect(vms[0]!.folder).toBe('web_1');
    expect(vms[2]!.folder).toBe('web_2');
    expect(new Set(vms.map((vm) => vm.folder)).size).toBe(60);
    for (const vm of [vms[0]!, vms[45]!, vms[59]!]) {
      expect(await readVmFiles(d, DATASTORE, vm.folder)).toEqual(vm);
      expect(await readGuestFile(d, vm, null, 'id.txt')).toBe(`vm ${Number(vm.vmId.slice(3))}\n`);
    }
  });

  it('leaves nothing of a VM whose write hits a full quota: no .vmx, no descriptor, no disk', async () => {
    const name = db('full').name;
    const full = failingDb(name, { table: 'extents', failAfter: 0, error: quotaError });
    opened.push(full);
    const error = await errorOf(
      createVmFiles(full, { vmId: 'vm-1', name: 'web', datastoreId: DATASTORE, diskSizeBytes: TEST_DISK_BYTES, vtpm: false, guestFiles: GUEST_FILES }),
    );
    expect(error).toBeInstanceOf(StorageFullError);
    expect(await listFolder(full, DATASTORE, 'web')).toEqual([]);
    expect(await listDisks(full, DATASTORE)).toEqual([]);
  });

  it('adds a vTPM: the VM home encrypted under a KEK, the .nvram only ciphertext, the disks untouched; removing it keeps the home key', async () => {
    const d = db('vtpm');
    const vm = await createTestVm(d);
    const kek = await nkpKek();
    const state = newVtpmState(vm.vmId);
    const set = await readVmFileSet(d, DATASTORE, vm.folder);
    const home = { providerId: kek.providerId, keyId: kek.keyId, kdkKeyId: kek.kdkKeyId, encryptedData: await sealVmConfig({ vmId: vm.vmId, keyId: kek.keyId, disks: [] }, kek.key) };
    const nvram = await sealNvram(state, kek.key, kek.keyId);
    await writeVtpmFiles(d, set, home, nvram);

    const on = await readVmFiles(d, DATASTORE, vm.folder);
    expect(on).toMatchObject({ vtpm: true, nvramPath: 'db-01/db-01.nvram', encryption: null, home: { keyId: kek.keyId, kdkKeyId: kek.kdkKeyId } });
    const vmx = parseVmx((await readTextFile(d, DATASTORE, vm.vmxPath))!);
    expect(vmx.vtpm).toBe(true);
    expect(vmx.keySafe).toContain(kek.keyId);
    expect(vmx.extra.firmware).toBeUndefined(); // efi is derived for a vTPM, so it is not an extra
    const stored = (await readTextFile(d, DATASTORE, 'db-01/db-01.nvram'))!;
    expect(stored).not.toContain(state.endorsementSeed);
    expect(stored).not.toContain(state.storageSeed);
    expect(await openNvram(stored, kek.key, { vmId: vm.vmId, vmName: vm.name, keyId: kek.keyId })).toEqual(state);
    const wrong = await nkpKek(kek.kdk);
    expect(await errorOf(openNvram(stored, wrong.key, { vmId: vm.vmId, vmName: vm.name, keyId: kek.keyId }))).toMatchObject({ code: 'WRONG_KEK' });
    // VM home only: the disk is still plaintext, read without any key.
    expect(await readGuestFile(d, on, null, 'hello.txt')).toBe(GUEST_FILES[0]!.text);

    const off = await deleteVtpmFiles(d, await readVmFileSet(d, DATASTORE, vm.folder));
    expect(off).toMatchObject({ vtpm: false, nvramPath: null });
    expect(await readTextFile(d, DATASTORE, 'db-01/db-01.nvram')).toBeUndefined();
    expect((await readVmFiles(d, DATASTORE, vm.folder)).home?.keyId).toBe(kek.keyId);
  });

  it('says clearly when a folder holds no VM, or its descriptor or disk is missing', async () => {
    const d = db('missing');
    await expectCode(readVmFiles(d, DATASTORE, 'nothing-here'), 'VM_FILES_MISSING', /no \.vmx/);
    const vm = await createTestVm(d);
    await d.datastoreFiles.delete([DATASTORE, vm.vmdkPath]);
    await expectCode(readVmFiles(d, DATASTORE, vm.folder), 'VM_FILES_MISSING', /descriptor/);

    const other = await createTestVm(d, 'app-01');
    await d.disks.delete(other.diskId);
    await expectCode(readVmFiles(d, DATASTORE, other.folder), 'VM_FILES_MISSING', /virtual disk/);
  });

  it('calls a disk whose extent record was deleted damaged, by name, not "never formatted" or a file of NULs', async () => {
    const d = db('lost-extent');
    const vm = await createTestVm(d);
    await d.extents.delete([vm.diskId, 0]);
    const error = await errorOf(listGuestFiles(d, vm, null));
    expect(error).toBeInstanceOf(DiskExtentMissingError);
    expect((error as Error).message).toMatch(/^Virtual disk "db-01\/db-01(-flat)?\.vmdk" is damaged: sectors 0–1 were written/);
    const other = await createTestVm(d, 'app-01');
    await d.extents.delete([other.diskId, 20]); // sectors 40–41, inside big.log
    expect(await errorOf(readGuestFile(d, other, null, 'big.log'))).toBeInstanceOf(DiskExtentMissingError);
  });

  it('refuses a damaged .vmx, a damaged descriptor, and half-written encryption fields', async () => {
    const d = db('corrupt');
    const vm = await createTestVm(d);
    const vmxText = (await readTextFile(d, DATASTORE, vm.vmxPath))!;
    const vmdkText = (await readTextFile(d, DATASTORE, vm.vmdkPath))!;

    await writeTextFile(d, DATASTORE, vm.vmxPath, `${vmxText}broken line without quotes\n`);
    await expectCode(readVmFiles(d, DATASTORE, vm.folder), 'VM_FILES_CORRUPT', /db-01\.vmx cannot be read/);

    await writeTextFile(d, DATASTORE, vm.vmxPath, `${vmxText}encryption.keySafe = "vmware:key/list/(pair/(fqid/<VMWARE-NULL>/kms/k1,HMAC-SHA-256,))"\n`);
    await expectCode(readVmFiles(d, DATASTORE, vm.folder), 'VM_FILES_CORRUPT', /disagree/);

    await writeTextFile(d, DATASTORE, vm.vmxPath, vmxText);
    await writeTextFile(d, DATASTORE, vm.vmdkPath, vmdkText.replace('createType="vmfs"', 'createType="monolithicSparse"'));
    await expectCode(readVmFiles(d, DATASTORE, vm.folder), 'VM_FILES_CORRUPT', /db-01\.vmdk cannot be read/);

    await writeTextFile(d, DATASTORE, vm.vmdkPath, vmdkText.replace(/RW \d+ VMFS/, 'RW 8 VMFS'));
    await expectCode(readVmFiles(d, DATASTORE, vm.folder), 'VM_FILES_CORRUPT', /holds 4096 bytes/);
  });

  it('deletes the whole folder: files and disk', async () => {
    const d = db('delete');
    const vm = await createTestVm(d);
    const keep = await createTestVm(d, 'app-01');
    await deleteVmFiles(d, vm);
    expect(await listFolder(d, DATASTORE, vm.folder)).toEqual([]);
    expect(await d.disks.get(vm.diskId)).toBeUndefined();
    expect(await listVmFolders(d, DATASTORE)).toEqual(['app-01']);
    expect(await readGuestFile(d, keep, null, 'hello.txt')).toBe(GUEST_FILES[0]!.text);
  });
});
