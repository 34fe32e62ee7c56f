// vMotion as vSphere allows it: an encrypted VM moves only when its key reaches the destination host, and stays put
// (running, not locked) when it cannot.
import { describe, expect, it } from 'vitest';
import { hostOf, ok, openTestLab, vmOf } from '../session/lab-test-support';

describe('vm.migrate', () => {
  it('moves a running encrypted VM: vCenter pushes its KEK to the destination, which then runs it and reads its disk', async () => {
    const { lab } = await openTestLab();
    const keyId = vmOf(lab, 'db-01').encryption!.keyId;
    expect(hostOf(lab, 'esx-02').ramKeys.some((k) => k.keyId === keyId)).toBe(false);
    const message = await ok(lab, { type: 'vm.migrate', vmId: 'db-01', hostId: 'esx-02' });
    expect(message).toContain('encrypted vMotion');
    expect(vmOf(lab, 'db-01')).toMatchObject({ hostId: 'esx-02', power: 'on' });
    expect(hostOf(lab, 'esx-02').runningVmIds).toContain('db-01');
    expect(hostOf(lab, 'esx-01').runningVmIds).not.toContain('db-01');
    expect(hostOf(lab, 'esx-02').ramKeys.some((k) => k.keyId === keyId)).toBe(true);
    expect(await lab.readGuestFile('db-01', 'customers.csv')).toContain('Ada Lovelace');
    expect(lab.getView().events.some((e) => e.eventTypeId === 'VmMigratedEvent' && e.objectId === 'db-01')).toBe(true);
    lab.dispose();
  });

  it('refuses when the destination host cannot get the key (KMS unreachable); the VM keeps running, unlocked, where it was', async () => {
    const { lab } = await openTestLab();
    await ok(lab, { type: 'kms.down', kmsId: 'kms-a' });
    await ok(lab, { type: 'kms.down', kmsId: 'kms-b' });
    const result = await lab.dispatch({ type: 'vm.migrate', vmId: 'db-01', hostId: 'esx-03' });
    expect(result).toMatchObject({ ok: false, code: 'MIGRATE_KEY_UNAVAILABLE' });
    if (!result.ok) expect(result.reason).toMatch(/KeyStateClusterUnreachable[\s\S]*keeps running on esx-01/);
    expect(vmOf(lab, 'db-01')).toMatchObject({ hostId: 'esx-01', power: 'on', locked: null });
    expect(hostOf(lab, 'esx-01').runningVmIds).toContain('db-01');
    lab.dispose();
  });

  it('needs Cryptographer.Migrate for an encrypted VM but not for a plain one', async () => {
    const { lab } = await openTestLab();
    await ok(lab, { type: 'user.switch', userName: 'vm-operator@vsphere.local' });
    expect(await lab.dispatch({ type: 'vm.migrate', vmId: 'db-01', hostId: 'esx-02' })).toMatchObject({ ok: false, code: 'NO_PERMISSION' });
    expect(await ok(lab, { type: 'vm.migrate', vmId: 'app-01', hostId: 'esx-01' })).toContain('(vMotion)');
    expect(vmOf(lab, 'app-01').hostId).toBe('esx-01');
    lab.dispose();
  });

  it('refuses the same host, a host that is off or disconnected; a powered-off VM moves cold without its key', async () => {
    const { lab } = await openTestLab();
    expect(await lab.dispatch({ type: 'vm.migrate', vmId: 'db-01', hostId: 'esx-01' })).toMatchObject({ ok: false, code: 'SAME_HOST' });
    await ok(lab, { type: 'host.powerOff', hostId: 'esx-03' });
    expect(await lab.dispatch({ type: 'vm.migrate', vmId: 'db-01', hostId: 'esx-03' })).toMatchObject({ ok: false, code: 'HOST_OFF' });
    await ok(lab, { type: 'host.disconnect', hostId: 'esx-02' });
    expect(await lab.dispatch({ type: 'vm.migrate', vmId: 'db-01', hostId: 'esx-02' })).toMatchObject({ ok: false, code: 'HOST_NOT_CONNECTED' });
    await ok(lab, { type: 'host.connect', hostId: 'esx-02' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'db-01' });
    await ok(lab, { type: 'kms.down', kmsId: 'kms-a' });
    await ok(lab, { type: 'kms.down', kmsId: 'kms-b' });
    expect(await ok(lab, { type: 'vm.migrate', vmId: 'db-01', hostId: 'esx-02' })).toContain('cold migration');
    expect(vmOf(lab, 'db-01')).toMatchObject({ hostId: 'esx-02', power: 'off' });
    lab.dispose();
  });
});
