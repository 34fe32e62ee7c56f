// Flow 1 and 5 (standard provider): encrypt a VM with a KMS key, reboot its host, and the KEK is fetched again by ID;
// the guest's files come back byte for byte, and what is stored on the datastore is ciphertext.
import { afterEach, describe, expect, it } from 'vitest';
import { APP_FILES, closeFlowLabs, expectGuestData, must, openFlowLab, vmView, vmxOf } from './flow-support';

afterEach(closeFlowLabs);

describe('standard key provider: encrypt, then host reboot', () => {
  it('encrypts app-01 with a key from the KMS and reads its files after the host rebooted', async () => {
    const { lab, clock } = await openFlowLab('std-encrypt');
    clock.advance(5_000);
    expect(vmView(lab, 'app-01').encryption).toBeNull();
    await must(lab, { type: 'vm.encrypt', vmId: 'app-01' });

    const vm = vmView(lab, 'app-01');
    expect(vm.encryption).toMatchObject({ providerId: 'KMS-Cluster', providerKind: 'standard' });
    const keyId = vm.encryption!.keyId;
    expect(keyId).toMatch(/^[0-9a-f-]{36}$/);
    const view = lab.getView();
    // vCenter keeps the key ID only; the first KMS node created the key.
    expect(view.vcenter!.keyDatabase).toContainEqual(expect.objectContaining({ keyId, providerId: 'KMS-Cluster', vmId: 'app-01' }));
    expect(view.kmsNodes.find((k) => k.id === 'kms-a')!.keys.map((k) => k.keyId)).toContain(keyId);
    // Every cryptographic operation is logged with user, time, key ID and operation.
    const logged = view.events.find((e) => e.eventTypeId === 'com.vmware.vc.crypto.Operation' && e.keyId === keyId && e.objectId === 'app-01');
    expect(logged).toMatchObject({ user: 'administrator@vsphere.local', operation: 'Encrypt', time: clock.now() });

    // The .vmx names the provider and key in VMware's key-locator form.
    const vmx = await vmxOf(lab, 'app-01');
    expect(vmx).toMatch(/encryption\.keySafe = "vmware:key\/list\/\(pair\/\(fqid\/<VMWARE-NULL>\/KMS-Cluster\//);
    expect(vmx).toContain(keyId);
    expect(vmx).toMatch(/encryption\.data = "[A-Za-z0-9+/=]+"/);

    // What the datastore holds is ciphertext; the host with the key sees the guest's file system.
    const sectors = await lab.readDiskSectors('app-01', 0, 1);
    expect(sectors.encrypted).toBe(true);
    expect(new TextDecoder().decode(sectors.stored)).not.toContain('KEYLAB-GUESTFS');

    await must(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    await expectGuestData(lab, 'app-01', APP_FILES);
    await must(lab, { type: 'guest.writeFile', vmId: 'app-01', name: 'after.txt', text: 'written after encryption ✓' });

    // Reboot: the host's RAM keys are gone; powering on makes vCenter fetch the KEK again by its ID.
    await must(lab, { type: 'host.reboot', hostId: 'esx-01' });
    expect(lab.getView().hosts.find((h) => h.id === 'esx-01')!.ramKeys.map((k) => k.keyId)).not.toContain(keyId);
    expect(vmView(lab, 'app-01').power).toBe('off');
    await must(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    expect(lab.getView().hosts.find((h) => h.id === 'esx-01')!.ramKeys.map((k) => k.keyId)).toContain(keyId);
    await expectGuestData(lab, 'app-01', [...APP_FILES, { name: 'after.txt', text: 'written after encryption ✓' }]);
    // db-01 ran on the same host: stopped by the reboot, its key is gone from memory until it powers on again.
    expect(vmView(lab, 'db-01').power).toBe('off');
    await expect(lab.readGuestFile('db-01', 'customers.csv')).rejects.toThrow(/ciphertext|key/);
    await must(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    await expectGuestData(lab, 'db-01');
  });
});
