// Encrypt, shallow and deep re-key, decrypt a VM with real keys: every guest byte survives every step and every
// interruption (abort, crash mid-transaction), the VM files say what VMware's would, and a wrong KEK is refused.
import { describe, expect, it } from 'vitest';
import { exportRawKey, importKdk } from '@/lib/crypto/keys';
import { SectorIntegrityError } from '@/lib/crypto/sector-cipher';
import { deriveKek } from '@/lib/crypto/derive';
import { DiskBusyError, deleteTextFile, getReencryptJournal, readTextFile, writeTextFile, type KeylabDb } from '@/lib/storage';
import { closeAfterEach, failingDb, indexOfBytes } from '@/lib/storage/test-support';
import { parseKeyLocator, parseVmdkDescriptor, parseVmx } from '@/lib/vmware';
import {
  DATASTORE,
  GUEST_FILES,
  TEST_DISK_BYTES,
  createTestVm,
  errorOf,
  extentsOf,
  nkpKek,
  openTestDb,
  standardKek,
  storedSnapshot,
} from './test-support';
import { openVmConfig } from './encrypted-config';
import { VmDataError, WrongKekError } from './errors';
import { openGuestDisk, readGuestFile, readSectorsView, writeGuestFile } from './guest-disk';
import { decryptVm, encryptVm, rekeyDeep, rekeyShallow, rekeyShallowMany, unwrapVmDek, type KekRef } from './vm-crypto';
// What an interrupted operation leaves behind, and finishing it.
import { pendingDeepRekey, pendingOperation, resumeDeepRekey, resumeOperation } from './vm-crypto';
import { createVmFiles, createVmFilesMany } from './vm-files-create';
import type { VmFiles } from './vm-files-model';
import { listVmFolders, readVmFiles } from './vm-files-read';

const track = closeAfterEach();

const BATCH = { batchExtents: 2 };
const encoder = new TextEncoder();

/** A database of its own holding the test VM, encrypted under a new standard KEK. */
async function encryptedTestVm(label: string): Promise<{ d: KeylabDb; kek: KekRef; vm: VmFiles }> {
  const d = track(openTestDb(label));
  const kek = await standardKek();
  const vm = await encryptVm(d, await createTestVm(d), kek);
  return { d, kek, vm };
}

/** Every guest file, byte for byte, through the KEK as a host would read them. */
async function expectGuestFiles(d: KeylabDb, vm: VmFiles, kek: CryptoKey | null, extra: Record<string, string> = {}) {
  const dek = kek && (await unwrapVmDek(vm, kek));
  for (const file of GUEST_FILES) expect(await readGuestFile(d, vm, dek, file.name)).toBe(file.text);
  for (const [name, text] of Object.entries(extra)) expect(await readGuestFile(d, vm, dek, name)).toBe(text);
}

/** The .vmx and descriptor as VMware tools would parse them, checked against what the VM's encryption should be. */
async function expectFilesName(d: KeylabDb, vm: VmFiles, kek: KekRef | null) {
  const vmx = parseVmx((await readTextFile(d, DATASTORE, vm.vmxPath))!);
  const vmdk = parseVmdkDescriptor((await readTextFile(d, DATASTORE, vm.vmdkPath))!);
  if (!kek) {
    expect(vmx.keySafe).toBeNull();
    expect(vmx.encryptedData).toBeNull();
    expect(vmdk.encryptionKeys).toBeNull();
    expect(vm.encryption).toBeNull();
    return;
  }
  const keySafe = parseKeyLocator(vmx.keySafe!);
  expect(keySafe.providerId).toBe(kek.providerId);
  expect(keySafe.keyId).toBe(kek.keyId);
  // No key travels in the locator: a standard KEK stays on the KMS, an NKP KEK is derived from the KDK and this ID.
  expect(keySafe.wrappedKey).toHaveLength(0);
  expect(vmx.extra['keylab.nkpKeyId'] ?? null).toBe(kek.kdkKeyId);
  const dekLocator = parseKeyLocator(vmdk.encryptionKeys!);
  expect(dekLocator).toMatchObject({ providerId: kek.providerId, keyId: kek.keyId });
  expect(dekLocator.wrappedKey.length).toBe(40);
  const config = await openVmConfig(vmx.encryptedData!, kek.key, { vmId: vm.vmId, vmName: vm.name, keyId: kek.keyId });
  expect(config.disks).toEqual([{ fileName: 'db-01.vmdk', diskId: vm.diskId }]);
  expect(vm.encryption).toMatchObject({ providerId: kek.providerId, keyId: kek.keyId });
  expect(await readVmFiles(d, DATASTORE, vm.folder)).toEqual(vm);
}

async function expectNoPlaintextStored(d: KeylabDb, vm: VmFiles) {
  const needle = encoder.encode(GUEST_FILES[1]!.text.slice(0, 64));
  const extents = await extentsOf(d, vm.diskId);
  expect(extents.length).toBeGreaterThan(0);
  for (const extent of extents) {
    expect(extent.keyTag).not.toBeNull();
    expect(indexOfBytes(extent.data, needle)).toBe(-1);
    expect(indexOfBytes(extent.data, encoder.encode('KEYLAB-GUESTFS'))).toBe(-1);
  }
}

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await errorOf(promise);
  expect(error).toBeInstanceOf(VmDataError);
  expect((error as VmDataError).code).toBe(code);
  return error as VmDataError;
}

describe('encrypt and decrypt', () => {
  it('encrypts every sector under a new DEK, records the keys as VMware does, and decrypts back', async () => {
    const d = track(openTestDb('enc'));
    const vm = await createTestVm(d);
    const kek = await standardKek();
    const progress: number[] = [];
    const encrypted = await encryptVm(d, vm, kek, { onProgress: (done, total) => progress.push(done / total), ...BATCH });
    expect(progress.at(-1)).toBe(1);
    expect(progress.length).toBeGreaterThan(5);
    await expectFilesName(d, encrypted, kek);
    await expectNoPlaintextStored(d, encrypted);
    await expectGuestFiles(d, encrypted, kek.key);
    expect(encrypted.pending).toBeNull();
    expect(encrypted.encryption!.dekFingerprint).toMatch(/^[0-9a-f]{8}$/);

    const plain = await decryptVm(d, encrypted, kek.key, BATCH);
    await expectFilesName(d, plain, null);
    for (const extent of await extentsOf(d, vm.diskId)) expect(extent.keyTag).toBeNull();
    await expectGuestFiles(d, plain, null);
  });

  it('creates a VM encrypted from its first write, so no plaintext is ever stored', async () => {
    const d = track(openTestDb('enc-new'));
    const kek = await nkpKek();
    const vm = await createVmFiles(d, {
      vmId: 'db-01',
      name: 'db-01',
      datastoreId: DATASTORE,
      diskSizeBytes: TEST_DISK_BYTES,
      vtpm: false,
      guestFiles: GUEST_FILES,
      encryption: kek,
    });
    await expectFilesName(d, vm, kek);
    await expectNoPlaintextStored(d, vm);
    await expectGuestFiles(d, vm, kek.key);
    const back = await decryptVm(d, vm, kek.key);
    await expectGuestFiles(d, back, null);
  });

  it('lets the guest write while encrypted; the new file is sealed like the rest', async () => {
    const { d, kek, vm } = await encryptedTestVm('enc-write');
    const dek = await unwrapVmDek(vm, kek.key);
    await writeGuestFile(d, vm, dek, 'diary.txt', 'written while encrypted ✓');
    await expectGuestFiles(d, vm, kek.key, { 'diary.txt': 'written while encrypted ✓' });
    for (const extent of await extentsOf(d, vm.diskId)) expect(indexOfBytes(extent.data, encoder.encode('written while'))).toBe(-1);
  });

  it('refuses a wrong KEK everywhere with WrongKekError and changes nothing', async () => {
    const { d, kek, vm } = await encryptedTestVm('wrong');
    const stranger = await standardKek();
    const before = await storedSnapshot(d, vm.diskId);

    const unwrapError = await errorOf(unwrapVmDek(vm, stranger.key));
    expect(unwrapError).toBeInstanceOf(WrongKekError);
    expect((unwrapError as WrongKekError).code).toBe('WRONG_KEK');
    expect((unwrapError as Error).message).toContain(kek.keyId);
    expect(await errorOf(decryptVm(d, vm, stranger.key))).toBeInstanceOf(WrongKekError);
    expect(await errorOf(rekeyShallow(d, vm, stranger.key, await standardKek()))).toBeInstanceOf(WrongKekError);
    expect(await errorOf(rekeyDeep(d, vm, stranger.key, await standardKek()))).toBeInstanceOf(WrongKekError);

    expect(await readVmFiles(d, DATASTORE, vm.folder)).toEqual(vm);
    expect(await storedSnapshot(d, vm.diskId)).toEqual(before);
    await expectCode(encryptVm(d, vm, stranger), 'ALREADY_ENCRYPTED');
    await expectGuestFiles(d, vm, kek.key);
  });

  it('refuses altered key material in the files: a bent wrapped DEK, an encryption.data copied from another VM', async () => {
    const d = track(openTestDb('altered'));
    const kek = await standardKek();
    const a = await encryptVm(d, await createTestVm(d, 'a-01'), kek);
    const b = await encryptVm(d, await createTestVm(d, 'b-01'), kek);

    // A flipped bit in the descriptor's wrapped DEK: AES-KW's integrity check refuses it, no garbage key comes out.
    const vmdkText = (await readTextFile(d, DATASTORE, a.vmdkPath))!;
    const locator = parseKeyLocator(parseVmdkDescriptor(vmdkText).encryptionKeys!);
    const bent = locator.wrappedKey.slice();
    bent[7]! ^= 0x01;
    const bentText = vmdkText.replace(Buffer.from(locator.wrappedKey).toString('base64'), Buffer.from(bent).toString('base64'));
    await writeTextFile(d, DATASTORE, a.vmdkPath, bentText);
    const bentVm = await readVmFiles(d, DATASTORE, a.folder);
    expect(await errorOf(unwrapVmDek(bentVm, kek.key))).toBeInstanceOf(WrongKekError);
    await writeTextFile(d, DATASTORE, a.vmdkPath, vmdkText);

    // b's .vmx given a's encryption.data: the KEK opens it, but it names another VM, so a re-key refuses to go on.
    const vmxText = (await readTextFile(d, DATASTORE, b.vmxPath))!;
    const swapped = vmxText.replace(b.encryption!.encryptedData, a.encryption!.encryptedData);
    await writeTextFile(d, DATASTORE, b.vmxPath, swapped);
    const error = await expectCode(rekeyShallow(d, b, kek.key, await standardKek()), 'VM_FILES_CORRUPT');
    expect(error.message).toMatch(/another VM/);
    await writeTextFile(d, DATASTORE, b.vmxPath, vmxText);
    const nkp = await nkpKek();
    await expectGuestFiles(d, await rekeyShallow(d, b, kek.key, nkp), nkp.key);
  });

  it('refuses operations that need an encrypted VM on a plain one', async () => {
    const d = track(openTestDb('plain'));
    const vm = await createTestVm(d);
    const kek = await standardKek();
    await expectCode(decryptVm(d, vm, kek.key), 'NOT_ENCRYPTED');
    await expectCode(rekeyShallow(d, vm, kek.key, kek), 'NOT_ENCRYPTED');
    await expectCode(rekeyDeep(d, vm, kek.key, kek), 'NOT_ENCRYPTED');
    await expectCode(unwrapVmDek(vm, kek.key), 'NOT_ENCRYPTED');
  });

  it('resumes an encryption interrupted by an abort, then by a crash mid-transaction', async () => {
    const d = track(openTestDb('enc-resume'));
    const vm = await createTestVm(d);
    const kek = await standardKek();
    const controller = new AbortController();
    let batches = 0;
    const aborted = await errorOf(
      encryptVm(d, vm, kek, { ...BATCH, signal: controller.signal, onProgress: () => ++batches === 3 && controller.abort() }),
    );
    expect((aborted as Error).name).toBe('AbortError');

    const pending = await pendingOperation(d, vm);
    expect(pending).toMatchObject({ kind: 'encrypt', from: null, to: { providerId: kek.providerId, keyId: kek.keyId } });
    expect(pending!.done).toBeGreaterThan(0);
    expect(pending!.done).toBeLessThan(TEST_DISK_BYTES);
    const mid = await readVmFiles(d, DATASTORE, vm.folder);
    expect(mid.encryption).toBeNull();
    expect(mid.pending?.kind).toBe('encrypt');
    await expectCode(openGuestDisk(d, mid, null), 'OPERATION_PENDING');
    // Another operation, or the same one to another key, must not start over the interrupted one.
    await expectCode(encryptVm(d, vm, await standardKek()), 'OPERATION_PENDING');

    // A crash: the extents table fails after two more batch writes; the failing transaction leaves nothing.
    const crashing = track(failingDb(d.name, { table: 'extents', failAfter: 2 }));
    const crash = await errorOf(encryptVm(crashing, vm, kek, BATCH));
    expect((crash as Error).message).toMatch(/simulated crash/);
    expect((await pendingOperation(d, vm))!.done).toBeGreaterThan(pending!.done);

    const done = await encryptVm(d, vm, kek, BATCH);
    expect(done.pending).toBeNull();
    await expectFilesName(d, done, kek);
    await expectNoPlaintextStored(d, done);
    await expectGuestFiles(d, done, kek.key);
    expect(await pendingOperation(d, vm)).toBeNull();
  });

  it('resumes a decryption interrupted by a thrown error through resumeOperation', async () => {
    const { d, kek, vm } = await encryptedTestVm('dec-resume');
    let calls = 0;
    const thrown = await errorOf(
      decryptVm(d, vm, kek.key, {
        ...BATCH,
        onProgress: () => {
          if (++calls === 6) throw new Error('host lost power');
        },
      }),
    );
    expect((thrown as Error).message).toBe('host lost power');
    const pending = await pendingOperation(d, vm);
    expect(pending).toMatchObject({ kind: 'decrypt', from: { keyId: kek.keyId }, to: null });
    expect((await readVmFiles(d, DATASTORE, vm.folder)).encryption?.keyId).toBe(kek.keyId);
    expect(await errorOf(resumeOperation(d, vm, { current: (await standardKek()).key, target: null }))).toBeInstanceOf(WrongKekError);

    const done = await resumeOperation(d, vm, { current: kek.key, target: null }, BATCH);
    await expectFilesName(d, done, null);
    await expectGuestFiles(d, done, null);
  });
});

describe('shallow re-key', () => {
  it('rewraps the DEK under a KEK of another provider without rewriting a single stored byte', async () => {
    const { d, kek: kmsKek, vm } = await encryptedTestVm('shallow');
    const before = await storedSnapshot(d, vm.diskId);
    const header = await d.disks.get(vm.diskId);

    const nkp = await nkpKek();
    const moved = await rekeyShallow(d, vm, kmsKek.key, nkp);
    expect(await storedSnapshot(d, vm.diskId)).toEqual(before); // same bytes, same generations: nothing was written
    expect(await d.disks.get(vm.diskId)).toEqual(header);
    expect(moved.encryption!.dekFingerprint).toBe(vm.encryption!.dekFingerprint);
    expect(Array.from(moved.encryption!.wrappedDek)).not.toEqual(Array.from(vm.encryption!.wrappedDek));
    await expectFilesName(d, moved, nkp);
    await expectGuestFiles(d, moved, nkp.key);
    expect(await errorOf(unwrapVmDek(moved, kmsKek.key))).toBeInstanceOf(WrongKekError);

    // And on to a standard provider again (rotation), still without touching a sector.
    const next = await standardKek('kms-cluster-b');
    const back = await rekeyShallow(d, moved, nkp.key, next);
    expect(await storedSnapshot(d, vm.diskId)).toEqual(before);
    await expectFilesName(d, back, next);
    await expectGuestFiles(d, back, next.key);
  });
});

describe('shallow re-key of many VMs', () => {
  it('rewraps each DEK under its own new KEK; a VM given a wrong KEK gets its error and keeps its key', async () => {
    const d = track(openTestDb('shallow-many'));
    const oldKeks = await Promise.all([1, 2, 3].map(() => standardKek()));
    const vms = await Promise.all(
      oldKeks.map((kek, i) =>
        createVmFiles(d, { vmId: `vm-${i}`, name: 'db-01', datastoreId: DATASTORE, diskSizeBytes: TEST_DISK_BYTES, vtpm: false, guestFiles: GUEST_FILES, encryption: kek }),
      ),
    );
    const before = await Promise.all(vms.map((vm) => storedSnapshot(d, vm.diskId)));
    const newKeks = await Promise.all([1, 2, 3].map(() => standardKek('kms-cluster-b')));
    const results = await rekeyShallowMany(d, [
      { vm: vms[0]!, oldKek: oldKeks[0]!.key, newKek: newKeks[0]! },
      { vm: vms[1]!, oldKek: oldKeks[2]!.key, newKek: newKeks[1]! }, // not this VM's KEK
      { vm: vms[2]!, oldKek: oldKeks[2]!.key, newKek: newKeks[2]! },
    ]);
    expect(results[1]).toBeInstanceOf(WrongKekError);
    expect(await readVmFiles(d, DATASTORE, vms[1]!.folder)).toEqual(vms[1]);
    for (const i of [0, 2]) {
      const moved = results[i] as VmFiles;
      expect(await readVmFiles(d, DATASTORE, moved.folder)).toEqual(moved);
      expect(moved.encryption!.dekFingerprint).toBe(vms[i]!.encryption!.dekFingerprint);
      await expectFilesName(d, moved, newKeks[i]!);
      await expectGuestFiles(d, moved, newKeks[i]!.key);
      expect(await errorOf(unwrapVmDek(moved, oldKeks[i]!.key))).toBeInstanceOf(WrongKekError);
    }
    // No sector was rewritten, not even on the VMs that moved.
    expect(await Promise.all(vms.map((vm) => storedSnapshot(d, vm.diskId)))).toEqual(before);
  });

  it('re-keys many VMs read whole-datastore at a time; a VM whose descriptor is gone gets its error in its place', async () => {
    const d = track(openTestDb('shallow-many-range'));
    const oldKeks = await Promise.all(Array.from({ length: 17 }, () => standardKek()));
    const vms = await createVmFilesMany(
      d,
      oldKeks.map((kek, i) => ({ vmId: `vm-${i}`, name: `vm-${i}`, datastoreId: DATASTORE, diskSizeBytes: TEST_DISK_BYTES, vtpm: false, guestFiles: GUEST_FILES.slice(0, 1), encryption: kek })),
    );
    await deleteTextFile(d, DATASTORE, vms[5]!.vmdkPath);
    const newKeks = await Promise.all(vms.map(() => standardKek('kms-cluster-b')));
    const results = await rekeyShallowMany(d, vms.map((vm, i) => ({ vm, oldKek: oldKeks[i]!.key, newKek: newKeks[i]! })));
    expect(results[5]).toBeInstanceOf(VmDataError);
    expect((results[5] as VmDataError).code).toBe('VM_FILES_MISSING');
    for (const i of [0, 6, 16]) {
      const moved = results[i] as VmFiles;
      expect(moved.encryption!.keyId).toBe(newKeks[i]!.keyId);
      expect(await readVmFiles(d, DATASTORE, moved.folder)).toEqual(moved);
      expect(await readGuestFile(d, moved, await unwrapVmDek(moved, newKeks[i]!.key), GUEST_FILES[0]!.name)).toBe(GUEST_FILES[0]!.text);
    }
  });
});

describe('deep re-key', () => {
  it('puts every sector under a new DEK and new KEK', async () => {
    const { d, kek: oldKek, vm } = await encryptedTestVm('deep');
    const before = await extentsOf(d, vm.diskId);
    const newKek = await nkpKek();
    const done = await rekeyDeep(d, vm, oldKek.key, newKek, BATCH);
    const after = await extentsOf(d, vm.diskId);
    expect(after.map((e) => e.index)).toEqual(before.map((e) => e.index));
    after.forEach((extent, i) => {
      expect(extent.keyTag).not.toBe(before[i]!.keyTag);
      expect(Buffer.from(extent.data).equals(Buffer.from(before[i]!.data))).toBe(false);
    });
    expect(done.encryption!.dekFingerprint).not.toBe(vm.encryption!.dekFingerprint);
    await expectFilesName(d, done, newKek);
    await expectGuestFiles(d, done, newKek.key);
  });

  it.each([1, 5, 10])('survives an abort after batch %i and a crash later, resuming with no byte lost', async (stopAfter) => {
    const { d, kek: oldKek, vm } = await encryptedTestVm(`deep-${stopAfter}`);
    const dek = await unwrapVmDek(vm, oldKek.key);
    await writeGuestFile(d, vm, dek, 'late.txt', 'written just before the re-key');
    const newKek = await nkpKek();

    const controller = new AbortController();
    let calls = 0;
    const options = { ...BATCH, signal: controller.signal, onProgress: () => ++calls === stopAfter + 1 && controller.abort() };
    expect((await errorOf(rekeyDeep(d, vm, oldKek.key, newKek, options))) as Error).toHaveProperty('name', 'AbortError');

    // After a "reload": the files still name the old key; the pending record names the new one, with the KDK it derives from.
    const reloaded = await readVmFiles(d, DATASTORE, vm.folder);
    expect(reloaded.encryption!.keyId).toBe(oldKek.keyId);
    const pending = await pendingDeepRekey(d, reloaded);
    expect(pending).toMatchObject({
      kind: 'rekeyDeep',
      from: { providerId: oldKek.providerId, keyId: oldKek.keyId },
      to: { providerId: newKek.providerId, keyId: newKek.keyId },
    });
    expect(pending!.to!.kdkKeyId).toBe(newKek.kdkKeyId);
    // The NKP's KEK can be derived again for the resume from the record alone, with the KDK.
    const recoveredKek = await deriveKek(newKek.kdk, pending!.to!.keyId);
    expect(await getReencryptJournal(d, vm.diskId)).toBeDefined();
    expect(await errorOf(readGuestFile(d, { ...reloaded, pending: null }, dek, 'late.txt'))).toBeInstanceOf(DiskBusyError);
    await expectCode(rekeyShallow(d, reloaded, oldKek.key, newKek), 'OPERATION_PENDING');
    await expectCode(rekeyDeep(d, reloaded, oldKek.key, await nkpKek()), 'OPERATION_PENDING');
    await expectCode(decryptVm(d, reloaded, oldKek.key), 'OPERATION_PENDING');

    // Then a crash mid-transaction: the second batch write of the resumed run fails and is rolled back.
    const crashing = track(failingDb(d.name, { table: 'extents', failAfter: 1 }));
    const recovered: KekRef = { ...newKek, key: recoveredKek };
    const crash = await errorOf(resumeDeepRekey(crashing, vm, oldKek.key, recovered, BATCH));
    expect((crash as Error).message).toMatch(/simulated crash|re-encrypt/);

    const done = await resumeDeepRekey(d, vm, oldKek.key, recovered, BATCH);
    expect(done.pending).toBeNull();
    expect(await pendingDeepRekey(d, vm)).toBeNull();
    expect(await getReencryptJournal(d, vm.diskId)).toBeUndefined();
    await expectFilesName(d, done, newKek);
    await expectNoPlaintextStored(d, done);
    await expectGuestFiles(d, done, recoveredKek, { 'late.txt': 'written just before the re-key' });
    await expectCode(resumeDeepRekey(d, vm, oldKek.key, recovered), 'OPERATION_PENDING');
  });

  it('finishes a deep re-key whose disk was done but whose files were not yet rewritten', async () => {
    const { d, kek: oldKek, vm } = await encryptedTestVm('deep-last');
    const newKek = await standardKek('kms-cluster-b');
    // Fails the files' commit: the disk is wholly under the new key, the .vmx still names the old one.
    const crashing = track(failingDb(d.name, { table: 'datastoreFiles', type: 'put', failAfter: 1 }));
    await errorOf(rekeyDeep(crashing, vm, oldKek.key, newKek, BATCH));
    const mid = await readVmFiles(d, DATASTORE, vm.folder);
    expect(mid.encryption!.keyId).toBe(oldKek.keyId);
    expect((await pendingOperation(d, vm))!.done).toBe(TEST_DISK_BYTES);
    const done = await rekeyDeep(d, vm, oldKek.key, newKek);
    await expectFilesName(d, done, newKek);
    await expectGuestFiles(d, done, newKek.key);
  });
});

describe('the files alone, with an NKP', () => {
  it('lets a new vCenter that has only the restored KDK recover the KEK and the data (doomsday B)', async () => {
    const d = track(openTestDb('doomsday-b'));
    const kek = await nkpKek();
    await encryptVm(d, await createTestVm(d), kek);
    const kdkBytes = await exportRawKey(kek.kdk); // what the .p12 carries
    const restoredKdk = await importKdk(kdkBytes);

    // Register from the datastore: everything comes from the files.
    const [folder] = await listVmFolders(d, DATASTORE);
    const found = await readVmFiles(d, DATASTORE, folder!);
    expect(found.encryption).toMatchObject({ providerId: 'nkp-1', kdkKeyId: kek.kdkKeyId });
    const recoveredKek = await deriveKek(restoredKdk, found.encryption!.keyId);
    await expectGuestFiles(d, found, recoveredKek);

    // A different KDK (a new NKP instead of the restored one) derives a KEK that opens nothing, and says so.
    const other = await nkpKek();
    await expect(unwrapVmDek(found, await deriveKek(other.kdk, found.encryption!.keyId))).rejects.toMatchObject({ code: 'WRONG_KEK' });
  });
});

describe('tampering and the sector view', () => {
  it('surfaces a tampered sector with its disk and number, never garbage', async () => {
    const { d, kek, vm } = await encryptedTestVm('tamper');
    const dek = await unwrapVmDek(vm, kek.key);
    // hello.txt is the first file written: data block 8 = sector 8 = extent 4, its first sector.
    const row = (await d.extents.get([vm.diskId, 4]))!;
    const data = row.data.slice();
    data[100]! ^= 0x01;
    await d.extents.put({ ...row, data });

    const error = await errorOf(readGuestFile(d, vm, dek, 'hello.txt'));
    expect(error).toBeInstanceOf(SectorIntegrityError);
    expect(error).toMatchObject({ diskId: vm.diskId, sector: 8 });
    expect(await readGuestFile(d, vm, dek, 'notes.md')).toBe(GUEST_FILES[3]!.text);

    const view = await readSectorsView(d, vm, 8, 1, dek);
    expect(view.plaintext).toBeNull();
    expect(view.plaintextUnavailableReason).toMatch(/Sector 8/);
    expect(view.stored[100]).toBe(data[100]);
  });

  it('shows stored ciphertext beside the plaintext, and no plaintext without the key', async () => {
    const d = track(openTestDb('view'));
    const plainVm = await createTestVm(d, 'plain-01');
    const plainView = await readSectorsView(d, plainVm, 0, 2, null);
    expect(plainView.encrypted).toBe(false);
    expect(plainView.stored.length).toBe(2 * 4096);
    expect(new TextDecoder().decode(plainView.stored.subarray(0, 14))).toBe('KEYLAB-GUESTFS');
    expect(plainView.plaintext).toEqual(plainView.stored);

    const kek = await standardKek();
    const vm = await encryptVm(d, await createTestVm(d), kek);
    const noKey = await readSectorsView(d, vm, 0, 2, null);
    expect(noKey.encrypted).toBe(true);
    expect(noKey.plaintext).toBeNull();
    expect(noKey.plaintextUnavailableReason).toMatch(/DEK/);
    expect(noKey.stored.length).toBe(2 * 4124);
    expect(indexOfBytes(noKey.stored, encoder.encode('KEYLAB-GUESTFS'))).toBe(-1);

    const withKey = await readSectorsView(d, vm, 0, 2, await unwrapVmDek(vm, kek.key));
    expect(new TextDecoder().decode(withKey.plaintext!.subarray(0, 14))).toBe('KEYLAB-GUESTFS');
    expect(withKey.stored).toEqual(noKey.stored);
    expect(withKey.unwrittenSectors).toEqual([]);
    await expect(readSectorsView(d, vm, 63, 2, null)).rejects.toThrow(RangeError);
  });
});
