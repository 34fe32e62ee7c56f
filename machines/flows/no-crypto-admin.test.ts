// The "No cryptography administrator" role: manages VMs (power, guest) but every cryptographic operation is refused
// with vSphere's NoPermission text, and nothing about the keys or the data changes.
import { afterEach, describe, expect, it } from 'vitest';
import { APP_FILES, closeFlowLabs, expectGuestData, must, openFlowLab, refused, vmView } from './flow-support';

afterEach(closeFlowLabs);

describe('No cryptography administrator', () => {
  it('may run VMs but not encrypt, decrypt, re-key, manage providers or export keys', async () => {
    const { lab } = await openFlowLab('no-crypto');
    await must(lab, { type: 'user.switch', userName: 'vm-operator@vsphere.local' });
    expect(lab.getView().vcenter!.currentUser).toBe('vm-operator@vsphere.local');
    const db = vmView(lab, 'db-01').encryption!;

    for (const command of [
      { type: 'vm.encrypt', vmId: 'app-01' },
      { type: 'vm.rekeyShallow', vmId: 'db-01' },
      { type: 'provider.addNative', name: 'NKP-x', tpmOnly: true },
    ] as const) {
      const refusal = await refused(lab, command);
      expect(refusal.reason).toMatch(/Permission to perform this operation was denied\..*Cryptographer\./);
    }
    await must(lab, { type: 'vm.powerOff', vmId: 'db-01' });
    for (const command of [
      { type: 'vm.decrypt', vmId: 'db-01' },
      { type: 'vm.rekeyDeep', vmId: 'db-01' },
    ] as const) {
      expect((await refused(lab, command)).reason).toMatch(/Cryptographer\./);
    }
    expect(vmView(lab, 'db-01').encryption).toEqual(db);
    expect(vmView(lab, 'app-01').encryption).toBeNull();
    await expect(lab.exportNkpBackup('KMS-Cluster', 'x')).rejects.toThrow();

    // Ordinary VM management still works, and the data is intact.
    await must(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    await must(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    await expectGuestData(lab, 'db-01');
    await expectGuestData(lab, 'app-01', APP_FILES);

    // Back as administrator, the same operation goes through.
    await must(lab, { type: 'user.switch', userName: 'administrator@vsphere.local' });
    await must(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    await must(lab, { type: 'vm.encrypt', vmId: 'app-01' });
    expect(vmView(lab, 'app-01').encryption).not.toBeNull();
  });
});
