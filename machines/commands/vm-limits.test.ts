// The encrypted-VM limits: each operation refused for an encrypted VM with the material's reason (and what later
// vSphere changed), and done for a plain VM with its data read back: the clone's guest file, the OVF package's disk,
// the memory file, the VM after Storage vMotion to a second datastore, the disk after a format change.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScenario, parseScenario } from '@/lib/scenario';
import { getDiskHeader } from '@/lib/storage';
import { MIB } from '@/lib/units';
import { readVmFiles } from '../data-plane';
import { readUstar } from '../data-plane/ova-archive';
import type { LabCommand } from '../lab-types';
import { closeTestLabs, ok, openTestLab, reopenTestLab, vmOf } from '../session/lab-test-support';
import { ENCRYPTED_VM_LIMITS } from './encrypted-vm-limits';

afterEach(() => closeTestLabs());

/** The starter lab with a second datastore, for Storage vMotion. */
function twoDatastores() {
  const s = defaultScenario();
  return parseScenario({ ...s, datastores: [...s.datastores, { id: 'ds-local-02', name: 'ds-local-02', capacityBytes: 256 * MIB }] });
}

const NOTES = 'Application server. Not encrypted yet.\n';

describe('an encrypted VM refuses each operation the material lists', () => {
  it('clone, OVF export, memory snapshot, Storage vMotion, disk format, FT, replication and content library', async () => {
    const { lab } = await openTestLab({ scenario: twoDatastores() });
    await ok(lab, { type: 'vm.powerOff', vmId: 'web-01' });
    const cases: [LabCommand, keyof typeof ENCRYPTED_VM_LIMITS][] = [
      [{ type: 'vm.clone', vmId: 'db-01', name: 'db-02' }, 'clone'],
      [{ type: 'vm.exportOvf', vmId: 'web-01' }, 'exportOvf'],
      [{ type: 'vm.takeMemorySnapshot', vmId: 'db-01' }, 'memorySnapshot'],
      [{ type: 'vm.relocateStorage', vmId: 'db-01', datastoreId: 'ds-local-02' }, 'relocateStorage'],
      [{ type: 'vm.changeDiskFormat', vmId: 'web-01', format: 'thickEagerZeroed' }, 'changeDiskFormat'],
      [{ type: 'vm.setFeature', vmId: 'db-01', feature: 'faultTolerance', enabled: true }, 'faultTolerance'],
      [{ type: 'vm.setFeature', vmId: 'db-01', feature: 'replication', enabled: true }, 'replication'],
      [{ type: 'vm.setFeature', vmId: 'db-01', feature: 'contentLibrary', enabled: true }, 'contentLibrary'],
    ];
    const before = lab.getView().vms;
    for (const [command, op] of cases) {
      const result = await lab.dispatch(command);
      expect(result, command.type).toMatchObject({ ok: false, code: 'ENCRYPTED_VM_UNSUPPORTED' });
      if (!result.ok) {
        expect(result.reason).toContain(ENCRYPTED_VM_LIMITS[op].label);
        expect(result.reason).toContain('Decrypt the VM first');
        if (ENCRYPTED_VM_LIMITS[op].laterVersions) expect(result.reason).toContain(ENCRYPTED_VM_LIMITS[op].laterVersions!);
      }
    }
    expect(lab.getView().vms).toEqual(before);
    expect(await lab.listDatastoreFiles('ds-local-02', '')).toEqual([]);
  });

  it('a VM whose only VM home is encrypted (a vTPM) is an encrypted VM too; once decrypted, a VM clones', async () => {
    const { lab } = await openTestLab();
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    await ok(lab, { type: 'vm.addVtpm', vmId: 'app-01' });
    expect(await lab.dispatch({ type: 'vm.clone', vmId: 'app-01', name: 'app-02' })).toMatchObject({ ok: false, code: 'ENCRYPTED_VM_UNSUPPORTED' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'db-01' });
    await ok(lab, { type: 'vm.decrypt', vmId: 'db-01' });
    await ok(lab, { type: 'vm.clone', vmId: 'db-01', name: 'db-02' });
    const clone = lab.getView().vms.find((v) => v.name === 'db-02')!;
    expect(await lab.readGuestFile(clone.id, 'customers.csv')).toContain('Ada Lovelace');
  });
});

describe('a plain VM does them', () => {
  it('clones: a new VM in its own folder, its disk really copied, its guest file read back from the clone', async () => {
    const { lab, db } = await openTestLab();
    const message = await ok(lab, { type: 'vm.clone', vmId: 'app-01', name: 'app-02' });
    expect(message).toContain('cloned to app-02');
    const clone = lab.getView().vms.find((v) => v.name === 'app-02')!;
    expect(clone).toMatchObject({ folder: 'app-02', datastoreId: 'ds-shared-01', power: 'off', registered: true, encryption: null });
    expect(lab.getView().vcenter!.registeredVmIds).toContain(clone.id);
    const [source, copy] = [await readVmFiles(db, 'ds-shared-01', 'app-01'), await readVmFiles(db, 'ds-shared-01', 'app-02')];
    expect(copy.diskId).not.toBe(source.diskId);
    expect(copy.vmId).toBe(clone.id);
    expect(await lab.readGuestFile(clone.id, 'notes.txt')).toBe(NOTES);
    // Two disks now: a write in the clone leaves the source as it was.
    await ok(lab, { type: 'vm.powerOn', vmId: clone.id });
    await ok(lab, { type: 'guest.writeFile', vmId: clone.id, name: 'notes.txt', text: 'clone only\n' });
    expect(await lab.readGuestFile(clone.id, 'notes.txt')).toBe('clone only\n');
    expect(await lab.readGuestFile('app-01', 'notes.txt')).toBe(NOTES);
    expect(await lab.dispatch({ type: 'vm.clone', vmId: 'app-01', name: 'APP-02' })).toMatchObject({ ok: false, code: 'NAME_TAKEN' });
    expect(await lab.dispatch({ type: 'vm.clone', vmId: 'app-01', name: '../x' })).toMatchObject({ ok: false, code: 'BAD_NAME' });
  });

  it('keeps a clone and the switches across a reload', async () => {
    const test = await openTestLab();
    await ok(test.lab, { type: 'vm.clone', vmId: 'app-01', name: 'app-02' });
    await ok(test.lab, { type: 'vm.setFeature', vmId: 'app-01', feature: 'replication', enabled: true });
    const cloneId = test.lab.getView().vms.find((v) => v.name === 'app-02')!.id;
    await test.lab.save();
    test.lab.dispose();
    const again = await reopenTestLab(test);
    expect(vmOf(again.lab, cloneId)).toMatchObject({ name: 'app-02', folder: 'app-02', registered: true });
    expect(vmOf(again.lab, 'app-01').features).toEqual({ replication: true });
    expect(await again.lab.readGuestFile(cloneId, 'notes.txt')).toBe(NOTES);
  });

  it('exports an OVF package: an OVF 1.x envelope, a manifest whose hashes match, the disk image with the guest data', async () => {
    const { lab } = await openTestLab();
    expect(await lab.dispatch({ type: 'vm.exportOvf', vmId: 'app-01' })).toMatchObject({ ok: false, code: 'VM_POWERED_ON' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    const result = await lab.dispatch({ type: 'vm.exportOvf', vmId: 'app-01' });
    if (!result.ok || !result.download) throw new Error(`export failed: ${JSON.stringify(result)}`);
    expect(result.download.fileName).toBe('app-01.ova');
    const members = readUstar(result.download.bytes);
    expect(members.map((m) => m.name)).toEqual(['app-01.ovf', 'app-01.mf', 'app-01-disk1.vmdk']);
    const ovf = new TextDecoder().decode(members[0]!.bytes);
    expect(ovf).toContain('<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"');
    expect(ovf).toContain('ovf:href="app-01-disk1.vmdk"');
    expect(ovf).toContain('<rasd:HostResource>ovf:/disk/vmdisk1</rasd:HostResource>');
    const disk = members[2]!.bytes;
    expect(disk.length).toBe(4 * MIB);
    const hex = async (b: Uint8Array) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', b as BufferSource))].map((x) => x.toString(16).padStart(2, '0')).join('');
    const manifest = new TextDecoder().decode(members[1]!.bytes);
    expect(manifest).toContain(`SHA256(app-01.ovf)= ${await hex(members[0]!.bytes)}`);
    expect(manifest).toContain(`SHA256(app-01-disk1.vmdk)= ${await hex(disk)}`);
    // The image is the disk as the guest has it: its sectors as stored (plain) and its file's text.
    const sectors = await lab.readDiskSectors('app-01', 0, 8);
    expect(disk.subarray(0, sectors.plaintext!.length)).toEqual(sectors.plaintext);
    expect(new TextDecoder().decode(disk)).toContain(NOTES);
  });

  it('takes a snapshot with memory: a .vmsn and a .vmem holding what the guest has in RAM', async () => {
    const { lab } = await openTestLab();
    await ok(lab, { type: 'vm.takeMemorySnapshot', vmId: 'app-01' });
    expect(vmOf(lab, 'app-01').snapshots).toBe(1);
    const paths = (await lab.listDatastoreFiles('ds-shared-01', 'app-01')).map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['app-01/app-01-Snapshot1.vmsn', 'app-01/app-01-Snapshot1.vmem']));
    expect(await lab.readDatastoreFile('ds-shared-01', 'app-01/app-01-Snapshot1.vmem')).toContain(NOTES);
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    expect(await lab.dispatch({ type: 'vm.takeMemorySnapshot', vmId: 'app-01' })).toMatchObject({ ok: false, code: 'VM_POWERED_OFF' });
  });

  it('moves to a second datastore by Storage vMotion, running: files and disk moved, data intact, also after a reload', async () => {
    const test = await openTestLab({ scenario: twoDatastores() });
    const { lab } = test;
    await ok(lab, { type: 'vm.takeMemorySnapshot', vmId: 'app-01' });
    expect(await lab.dispatch({ type: 'vm.relocateStorage', vmId: 'app-01', datastoreId: 'ds-shared-01' })).toMatchObject({ ok: false, code: 'SAME_DATASTORE' });
    await ok(lab, { type: 'vm.relocateStorage', vmId: 'app-01', datastoreId: 'ds-local-02' });
    expect(vmOf(lab, 'app-01')).toMatchObject({ datastoreId: 'ds-local-02', folder: 'app-01', power: 'on' });
    expect(await lab.listDatastoreFiles('ds-shared-01', 'app-01')).toEqual([]);
    const moved = (await lab.listDatastoreFiles('ds-local-02', 'app-01')).map((f) => f.path).sort();
    expect(moved).toEqual(['app-01/app-01-Snapshot1.vmem', 'app-01/app-01-Snapshot1.vmsn', 'app-01/app-01-flat.vmdk', 'app-01/app-01.vmdk', 'app-01/app-01.vmx']);
    expect(await lab.readGuestFile('app-01', 'notes.txt')).toBe(NOTES);
    await ok(lab, { type: 'guest.writeFile', vmId: 'app-01', name: 'after.txt', text: 'written on ds-local-02\n' });
    await lab.save();
    lab.dispose();
    const again = await reopenTestLab(test);
    expect(vmOf(again.lab, 'app-01').datastoreId).toBe('ds-local-02');
    expect(await again.lab.readGuestFile('app-01', 'after.txt')).toBe('written on ds-local-02\n');
    expect(await again.lab.readGuestFile('app-01', 'notes.txt')).toBe(NOTES);
  });

  it('changes its disk format: thick eager zeroed allocates every block (data kept), thin is recorded back', async () => {
    const { lab, db } = await openTestLab();
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    const files = await readVmFiles(db, 'ds-shared-01', 'app-01');
    const written = async () => [...((await getDiskHeader(db, files.diskId))!.writtenExtents ?? [])].reduce((n, b) => n + b.toString(2).replace(/0/g, '').length, 0);
    const thinExtents = await written();
    await ok(lab, { type: 'vm.changeDiskFormat', vmId: 'app-01', format: 'thickEagerZeroed' });
    expect(vmOf(lab, 'app-01').diskFormat).toBe('thickEagerZeroed');
    const header = (await getDiskHeader(db, files.diskId))!;
    expect(await written()).toBe(header.sizeBytes / (header.extentSectors * 4096));
    expect(await written()).toBeGreaterThan(thinExtents);
    expect(await lab.readDatastoreFile('ds-shared-01', 'app-01/app-01.vmdk')).toContain('ddb.thinProvisioned = "0"');
    expect(await lab.readGuestFile('app-01', 'notes.txt')).toBe(NOTES);
    await ok(lab, { type: 'vm.changeDiskFormat', vmId: 'app-01', format: 'thin' });
    expect(await lab.readDatastoreFile('ds-shared-01', 'app-01/app-01.vmdk')).toContain('ddb.thinProvisioned = "1"');
    expect(vmOf(lab, 'app-01').diskFormat).toBe('thin');
  });

  it('switches FT, replication and a content library on and off, recorded in the view and the .vmx', async () => {
    const { lab } = await openTestLab();
    await ok(lab, { type: 'vm.setFeature', vmId: 'app-01', feature: 'faultTolerance', enabled: true });
    await ok(lab, { type: 'vm.setFeature', vmId: 'app-01', feature: 'replication', enabled: true });
    expect(vmOf(lab, 'app-01').features).toEqual({ faultTolerance: true, replication: true });
    expect(await lab.readDatastoreFile('ds-shared-01', 'app-01/app-01.vmx')).toContain('keylab.ft.enabled = "TRUE"');
    expect(await lab.dispatch({ type: 'vm.setFeature', vmId: 'app-01', feature: 'replication', enabled: true })).toMatchObject({ ok: false, code: 'ALREADY_SET' });
    await ok(lab, { type: 'vm.setFeature', vmId: 'app-01', feature: 'faultTolerance', enabled: false });
    expect(await lab.readDatastoreFile('ds-shared-01', 'app-01/app-01.vmx')).not.toContain('keylab.ft.enabled');
    expect(vmOf(lab, 'app-01').features).toEqual({ faultTolerance: false, replication: true });
    // The clone starts without them.
    await ok(lab, { type: 'vm.clone', vmId: 'app-01', name: 'app-02' });
    expect(lab.getView().vms.find((v) => v.name === 'app-02')!.features).toBeUndefined();
  });
});
