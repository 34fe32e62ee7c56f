// The headless lab through its public API: the default world, power, encryption, guest files, faults, save/restore.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { failingDb, quotaError, uniqueDbName } from '@/lib/storage/test-support';
import { EVENT } from './session/lab-event-ids';
import { createManualClock } from './session/lab-clock';
import { closeTestLabs, ok, openTestLab, reopenTestLab } from './session/lab-test-support';

afterEach(closeTestLabs);

describe('openLab with the default scenario', () => {
  it('builds a world with really encrypted VMs whose guest files read back', async () => {
    const { lab } = await openTestLab({ labId: 'l1' });
    const view = lab.getView();
    expect(view.hosts.map((h) => h.id)).toEqual(['esx-01', 'esx-02', 'esx-03']);
    expect(view.vcenter?.keyProviders[0]).toMatchObject({ kind: 'standard', name: 'KMS-Cluster', isDefault: true });
    const db01 = view.vms.find((v) => v.id === 'db-01')!;
    expect(db01.encryption?.providerId).toBe('KMS-Cluster');
    expect(db01.power).toBe('on');
    expect(view.vcenter?.keyDatabase.map((e) => e.keyId)).toContain(db01.encryption!.keyId);
    expect(await lab.readGuestFile('db-01', 'customers.csv')).toContain('Ada Lovelace');
    const sectors = await lab.readDiskSectors('db-01', 0, 2);
    expect(sectors.encrypted).toBe(true);
    expect(new TextDecoder().decode(sectors.stored)).not.toContain('KEYLAB-GUESTFS');
    expect(new TextDecoder().decode(sectors.plaintext!)).toContain('KEYLAB-GUESTFS');
    expect(lab.getView()).toBe(lab.getView());
  });

  it('encrypts app-01 with the default provider and keeps its guest data', async () => {
    const { lab } = await openTestLab({ labId: 'l2' });
    const refused = await lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01' });
    expect(refused).toMatchObject({ ok: false, code: 'VM_POWERED_ON' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    await ok(lab, { type: 'vm.encrypt', vmId: 'app-01' });
    const vm = lab.getView().vms.find((v) => v.id === 'app-01')!;
    expect(vm.encryption?.providerId).toBe('KMS-Cluster');
    await ok(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    expect(await lab.readGuestFile('app-01', 'notes.txt')).toBe('Application server. Not encrypted yet.\n');
    const events = lab.getView().events.filter((e) => e.eventTypeId === 'com.vmware.vc.crypto.Operation');
    expect(events.at(-1)).toMatchObject({ operation: 'Encrypt', keyId: vm.encryption!.keyId, user: 'administrator@vsphere.local' });
  });

  it('re-keys many VMs in one task: each gets its own new KEK on the KMS and its host, a plain VM is refused', async () => {
    const opened = await openTestLab({ labId: 'l-many' });
    const { lab } = opened;
    const before = lab.getView();
    const oldKeyIds = ['db-01', 'web-01'].map((id) => before.vms.find((v) => v.id === id)!.encryption!.keyId);
    const result = await lab.dispatch({ type: 'vm.rekeyShallowMany', vmIds: ['db-01', 'app-01', 'web-01'] });
    expect(result).toMatchObject({ ok: false, code: 'PARTIAL' });
    expect(!result.ok && result.reason).toMatch(/^2 of 3 VMs re-keyed; refused: app-01: VM app-01 is not encrypted/);
    const view = lab.getView();
    const moved = ['db-01', 'web-01'].map((id) => view.vms.find((v) => v.id === id)!);
    const newKeyIds = moved.map((vm) => vm.encryption!.keyId);
    expect(new Set([...newKeyIds, ...oldKeyIds]).size).toBe(4);
    for (const [i, vm] of moved.entries()) {
      expect(vm.encryption!.dekFingerprint).toBe(before.vms.find((v) => v.id === vm.id)!.encryption!.dekFingerprint);
      expect(view.hosts.find((h) => h.id === vm.hostId)!.ramKeys.map((k) => k.keyId)).toContain(newKeyIds[i]);
    }
    const keyDb = view.vcenter!.keyDatabase.map((e) => e.keyId);
    expect(keyDb).toEqual(expect.arrayContaining(newKeyIds));
    expect(keyDb.filter((id) => oldKeyIds.includes(id))).toEqual([]);
    const rekeys = view.events.filter((e) => e.operation === 'RekeyShallow');
    expect(rekeys.map((e) => [e.objectId, e.keyId])).toEqual([['db-01', newKeyIds[0]], ['web-01', newKeyIds[1]]]);
    expect(await lab.readGuestFile('db-01', 'customers.csv')).toContain('Ada Lovelace');
    await lab.save();
    lab.dispose();

    // After a reload, with nothing in any host's memory, the new keys come from the KMS by ID and open the disks.
    const { lab: restored } = await reopenTestLab(opened, createManualClock());
    await ok(restored, { type: 'host.reboot', hostId: moved[0]!.hostId! });
    await ok(restored, { type: 'vm.powerOn', vmId: 'db-01' });
    expect(await restored.readGuestFile('db-01', 'customers.csv')).toContain('Ada Lovelace');
    expect(restored.getView().vms.find((v) => v.id === 'db-01')!.encryption!.keyId).toBe(newKeyIds[0]);
  });

  it('a many-VM re-key whose commit hits a full quota changes no VM and logs each failure', async () => {
    const name = uniqueDbName('lab-full');
    // The hosts' boot disks (their encrypted configurations) are one write, the world's files the next; the re-key's
    // commit is the one after.
    const db = failingDb(name, { table: 'datastoreFiles', type: 'put', failAfter: 2, error: quotaError });
    const { lab } = await openTestLab({ db, labId: 'l-full' });
    const keyIdsBefore = lab.getView().vms.map((vm) => vm.encryption?.keyId ?? null);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const result = await lab.dispatch({ type: 'vm.rekeyShallowMany', vmIds: ['db-01', 'db-01', 'web-01'] });
    errors.mockRestore();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/storage for this site is full/);
    expect(lab.getView().vms.map((vm) => vm.encryption?.keyId ?? null)).toEqual(keyIdsBefore);
    expect(lab.getView().events.filter((e) => e.eventTypeId === EVENT.rekeyFail).map((e) => e.objectId)).toEqual(['db-01', 'web-01']);
    expect(await lab.readGuestFile('db-01', 'customers.csv')).toContain('Ada Lovelace');
  });

  it('host reboot clears RAM; vCenter fetches the KEK again by ID', async () => {
    const { lab } = await openTestLab({ labId: 'l3' });
    await ok(lab, { type: 'guest.writeFile', vmId: 'db-01', name: 'new.txt', text: 'written before reboot' });
    await ok(lab, { type: 'host.reboot', hostId: 'esx-01' });
    expect(lab.getView().hosts.find((h) => h.id === 'esx-01')!.ramKeys).toEqual([]);
    expect(lab.getView().vms.find((v) => v.id === 'db-01')!.power).toBe('off');
    await ok(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    expect(await lab.readGuestFile('db-01', 'new.txt')).toBe('written before reboot');
  });

  it('the No cryptography administrator may power VMs but not encrypt', async () => {
    const { lab } = await openTestLab({ labId: 'l4' });
    await ok(lab, { type: 'user.switch', userName: 'vm-operator@vsphere.local' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    const r = await lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01' });
    expect(r).toMatchObject({ ok: false, code: 'NO_PERMISSION' });
    if (!r.ok) expect(r.reason).toContain('Cryptographer.Encrypt');
  });

  it('a hung first KMS node costs exactly 60 s of lab time, shown as a pending wait', async () => {
    const { lab, clock } = await openTestLab({ labId: 'l5' });
    await ok(lab, { type: 'kms.hang', kmsId: 'kms-a' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    const start = clock.now();
    const pending = lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01' });
    await ok(lab, { type: 'clock.advance', ms: 59_999 });
    expect(lab.getView().clock.pendingWaits).toHaveLength(1);
    expect(lab.getView().clock.pendingWaits[0]!.deadline).toBe(start + 60_000);
    await ok(lab, { type: 'clock.advance', ms: 1 });
    const result = await pending;
    expect(result.ok).toBe(true);
    expect(lab.getView().clock.pendingWaits).toHaveLength(0);
    const keyId = lab.getView().vms.find((v) => v.id === 'app-01')!.encryption!.keyId;
    expect(lab.getView().kmsNodes.find((k) => k.id === 'kms-b')!.keys.map((k) => k.keyId)).toContain(keyId);
  });

  it('all KMS nodes down: the encryption fails clearly and nothing changes', async () => {
    const { lab } = await openTestLab({ labId: 'l6' });
    await ok(lab, { type: 'kms.down', kmsId: 'kms-a' });
    await ok(lab, { type: 'kms.down', kmsId: 'kms-b' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    const r = await lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/cannot connect to any KMS node/);
    expect(lab.getView().vms.find((v) => v.id === 'app-01')!.encryption).toBeNull();
  });

  it('restores a saved lab and continues from the saved lab time', async () => {
    const opened = await openTestLab({ labId: 'l7' });
    const { lab } = opened;
    await ok(lab, { type: 'clock.advance', ms: 5000 });
    await ok(lab, { type: 'guest.writeFile', vmId: 'db-01', name: 'a.txt', text: 'persisted' });
    await lab.save();
    lab.dispose();
    const { lab: again } = await reopenTestLab(opened, createManualClock());
    expect(again.getView().clock.now).toBe(5000);
    expect(again.getView().vms.find((v) => v.id === 'db-01')!.power).toBe('on');
    expect(await again.readGuestFile('db-01', 'a.txt')).toBe('persisted');
  });
});

describe('KMS administration', () => {
  it('a revoked key cannot be fetched again after a reboot: the VM is locked with KeyStateNotActiveOrEnabled', async () => {
    const { lab } = await openTestLab({ labId: 'k1' });
    const keyId = lab.getView().vms.find((v) => v.id === 'db-01')!.encryption!.keyId;
    await ok(lab, { type: 'kms.revokeKey', kmsId: 'kms-a', keyId });
    expect(lab.getView().kmsNodes.every((n) => n.keys.find((k) => k.keyId === keyId)?.state === 'Deactivated')).toBe(true);
    await ok(lab, { type: 'host.reboot', hostId: 'esx-01' });
    const r = await lab.dispatch({ type: 'vm.powerOn', vmId: 'db-01' });
    expect(r).toMatchObject({ ok: false, code: 'VM_LOCKED' });
    expect(lab.getView().vms.find((v) => v.id === 'db-01')!.locked?.reason).toBe('KeyStateNotActiveOrEnabled');
  });

  it('a destroyed key is missing in the KMS', async () => {
    const { lab } = await openTestLab({ labId: 'k2' });
    const keyId = lab.getView().vms.find((v) => v.id === 'web-01')!.encryption!.keyId;
    await ok(lab, { type: 'kms.destroyKey', kmsId: 'kms-b', keyId });
    await ok(lab, { type: 'host.reboot', hostId: 'esx-02' });
    await lab.dispatch({ type: 'vm.powerOn', vmId: 'web-01' });
    expect(lab.getView().vms.find((v) => v.id === 'web-01')!.locked?.reason).toBe('KeyStateMissingInKMS');
  });

  it('registering a VM whose key was destroyed on the KMS locates nothing and registers it locked', async () => {
    const { lab } = await openTestLab({ labId: 'k4' });
    const web = lab.getView().vms.find((v) => v.id === 'web-01')!;
    await ok(lab, { type: 'vm.powerOff', vmId: 'web-01' });
    await ok(lab, { type: 'vm.unregister', vmId: 'web-01' });
    await ok(lab, { type: 'kms.destroyKey', kmsId: 'kms-a', keyId: web.encryption!.keyId });
    const message = await ok(lab, { type: 'vm.register', datastoreId: web.datastoreId, folder: web.folder });
    expect(message).toMatch(/locked/);
    expect(lab.getView().vms.find((v) => v.id === 'web-01')!.locked?.reason).toBe('KeyStateMissingInKMS');
  });

  it('a key created on kms-a reaches kms-b only after the replication lag, and only while kms-a is up', async () => {
    const { lab } = await openTestLab({ labId: 'k3' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    await ok(lab, { type: 'vm.encrypt', vmId: 'app-01' });
    const keyId = lab.getView().vms.find((v) => v.id === 'app-01')!.encryption!.keyId;
    const kmsB = () => lab.getView().kmsNodes.find((n) => n.id === 'kms-b')!;
    expect(kmsB().pendingReplication).toContain(keyId);
    // Meanwhile kms-a fails: the key is not on kms-b yet, so a host cannot get it.
    await ok(lab, { type: 'kms.down', kmsId: 'kms-a' });
    await ok(lab, { type: 'host.reboot', hostId: 'esx-03' });
    const early = await lab.dispatch({ type: 'vm.powerOn', vmId: 'app-01' });
    expect(early.ok).toBe(false);
    // A node that is down sends nothing: waiting out the lag does not bring the key to kms-b.
    await ok(lab, { type: 'clock.advance', ms: kmsB().replicationLagMs * 10 });
    expect(kmsB().keys.map((k) => k.keyId)).not.toContain(keyId);
    await ok(lab, { type: 'kms.restore', kmsId: 'kms-a' });
    await ok(lab, { type: 'clock.advance', ms: kmsB().replicationLagMs });
    expect(kmsB().keys.map((k) => k.keyId)).toContain(keyId);
    await ok(lab, { type: 'kms.down', kmsId: 'kms-a' });
    await ok(lab, { type: 'vm.unlock', vmId: 'app-01' });
    await ok(lab, { type: 'vm.powerOn', vmId: 'app-01' });
  });
});

describe('world events during a vCenter wait', () => {
  it('a KMS node can be restored while vCenter waits on it; the wait still runs its 60 s', async () => {
    const { lab } = await openTestLab({ labId: 'q1' });
    await ok(lab, { type: 'kms.hang', kmsId: 'kms-a' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    const pending = lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01' });
    await ok(lab, { type: 'clock.advance', ms: 10_000 });
    await ok(lab, { type: 'kms.restore', kmsId: 'kms-a' });
    expect(lab.getView().kmsNodes.find((k) => k.id === 'kms-a')!.status).toBe('up');
    expect(lab.getView().clock.pendingWaits).toHaveLength(1);
    await ok(lab, { type: 'clock.advance', ms: 50_000 });
    expect((await pending).ok).toBe(true);
  });
});

describe('saving when the browser storage is full', () => {
  it('says the lab is not saved, keeps trying on later saves, and clears once one succeeds', async () => {
    const plan = { table: 'savedLabs', failAfter: 1, error: quotaError };
    const db = failingDb(uniqueDbName('lab-save-full'), plan);
    const opened = await openTestLab({ db, labId: 'full' });
    const { lab } = opened;
    expect(lab.getView().saveProblem).toBeNull();

    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    await expect(lab.save()).rejects.toMatchObject({ code: 'STORAGE_FULL' });
    expect(lab.getView().saveProblem).toMatch(/^The lab could not be saved\. The browser's storage for this site is full/);

    plan.failAfter = Number.POSITIVE_INFINITY; // room again
    await lab.save();
    expect(lab.getView().saveProblem).toBeNull();
    lab.dispose();

    const { lab: reopened } = await reopenTestLab(opened, createManualClock());
    expect(reopened.getView().vms.find((vm) => vm.id === 'app-01')?.power).toBe('off');
  });
});
