// Flow 7, doomsday B: vCenter is destroyed while the NKP-encrypted VMs are off (and the hosts lost power, so no host
// memory holds a KEK). New vCenter, NKP restored from the .p12, the VMs registered from the datastore: vCenter reads
// the key ID from each VM's files, derives its KEK from the restored KDK, repopulates its key database, and the VMs
// power on with their data.
import { afterEach, describe, expect, it } from 'vitest';
import { BACKUP_PASSWORD, closeFlowLabs, expectGuestData, must, openNkpFlowLab, vmView } from './flow-support';

afterEach(closeFlowLabs);

describe('doomsday B: vCenter lost with the VMs off', () => {
  it('recovers every VM from its files with the restored KDK', async () => {
    const { lab, nkp } = await openNkpFlowLab('doomsday-b');
    await must(lab, { type: 'vm.powerOff', vmId: 'web-01' });
    await must(lab, { type: 'vm.rekeyDeep', vmId: 'web-01', providerId: nkp.providerId });
    await must(lab, { type: 'vm.powerOff', vmId: 'db-01' });
    const keys = { 'db-01': vmView(lab, 'db-01').encryption!.keyId, 'web-01': vmView(lab, 'web-01').encryption!.keyId };

    await must(lab, { type: 'vcenter.destroy' });
    // A power outage took the hosts down too: nothing is left in any host's memory.
    await must(lab, { type: 'host.powerOff', hostId: 'esx-01' });
    await must(lab, { type: 'host.powerOff', hostId: 'esx-02' });
    await must(lab, { type: 'host.powerOn', hostId: 'esx-01' });
    await must(lab, { type: 'host.powerOn', hostId: 'esx-02' });
    await must(lab, { type: 'vcenter.deploy' });
    expect(await lab.restoreNkpFromBackup(nkp.p12, BACKUP_PASSWORD)).toMatchObject({ ok: true });
    for (const hostId of ['esx-01', 'esx-02']) await must(lab, { type: 'host.add', hostId });

    for (const vmId of ['db-01', 'web-01'] as const) {
      const vm = vmView(lab, vmId);
      // Registering from the datastore is the path under test: take it out of the inventory if adding the host brought it.
      if (lab.getView().vcenter!.registeredVmIds.includes(vmId)) await must(lab, { type: 'vm.unregister', vmId });
      await must(lab, { type: 'vm.register', datastoreId: vm.datastoreId, folder: vm.folder });
      expect(lab.getView().vcenter!.keyDatabase).toContainEqual(expect.objectContaining({ keyId: keys[vmId], providerId: nkp.providerId }));
      expect(vmView(lab, vmId).locked).toBeNull();
      await must(lab, { type: 'vm.powerOn', vmId });
      await expectGuestData(lab, vmId);
    }
  });
});
