// Flow 6, doomsday A: vCenter is destroyed while the NKP-encrypted VMs run. A new vCenter is deployed, the NKP is
// restored from its .p12, the hosts are added back and report the KEKs they hold: the key database is repopulated and
// the VMs survive a later power cycle, their files intact.
import { afterEach, describe, expect, it } from 'vitest';
import { BACKUP_PASSWORD, closeFlowLabs, expectGuestData, must, openFlowLab, openNkpFlowLab, providerOf, vmView } from './flow-support';

afterEach(closeFlowLabs);

describe('doomsday A: vCenter lost with the VMs on', () => {
  it('rebuilds the key database from the running hosts after the NKP is restored', async () => {
    const { lab, nkp } = await openNkpFlowLab('doomsday-a');
    await must(lab, { type: 'vm.rekeyShallow', vmId: 'web-01', providerId: nkp.providerId });
    const keys = { 'db-01': vmView(lab, 'db-01').encryption!.keyId, 'web-01': vmView(lab, 'web-01').encryption!.keyId };

    await must(lab, { type: 'vcenter.destroy' });
    expect(vmView(lab, 'db-01').power).toBe('on'); // the hosts keep running their VMs
    await expectGuestData(lab, 'db-01');
    await must(lab, { type: 'vcenter.deploy' });
    const fresh = lab.getView().vcenter!;
    expect(fresh.generation).toBe(2);
    expect(fresh.keyProviders).toEqual([]);
    expect(fresh.keyDatabase).toEqual([]);

    const restored = await lab.restoreNkpFromBackup(nkp.p12, BACKUP_PASSWORD);
    expect(restored).toMatchObject({ ok: true });
    expect(providerOf(lab.getView(), 'NKP-1')).toMatchObject({ kind: 'native', keyId: nkp.keyId, backedUp: true });

    for (const hostId of ['esx-01', 'esx-02', 'esx-03']) await must(lab, { type: 'host.add', hostId });
    const keyDatabase = lab.getView().vcenter!.keyDatabase;
    for (const [vmId, keyId] of Object.entries(keys)) {
      expect(keyDatabase).toContainEqual(expect.objectContaining({ keyId, providerId: nkp.providerId }));
      expect(lab.getView().vcenter!.registeredVmIds).toContain(vmId);
    }

    // A later power cycle, and a host reboot, still find the keys.
    await must(lab, { type: 'vm.powerOff', vmId: 'db-01' });
    await must(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    await expectGuestData(lab, 'db-01');
    await must(lab, { type: 'host.reboot', hostId: 'esx-02' });
    await must(lab, { type: 'vm.powerOn', vmId: 'web-01' });
    await expectGuestData(lab, 'web-01');
    // Restoring the same backup twice is refused: the provider already exists under that name.
    expect((await refusedRestore(lab, nkp.p12)).reason).toMatch(/already exists/);
  });
});

async function refusedRestore(lab: Awaited<ReturnType<typeof openFlowLab>>['lab'], p12: Uint8Array) {
  const result = await lab.restoreNkpFromBackup(p12, BACKUP_PASSWORD);
  if (result.ok) throw new Error('a second restore should be refused');
  return result;
}
