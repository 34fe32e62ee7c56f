// The key map: every key and where it lives now, following the keys through NKP set-up and the loss of vCenter.
import { describe, expect, it } from 'vitest';
import { ok, openTestLab, vmOf } from '../session/lab-test-support';
import type { KeyLocation, Lab } from '../lab-types';

const placesOf = (lab: Lab, keyId: string) =>
  (lab.getView().keyMap.find((k) => k.keyId === keyId)?.places ?? []).map((p) => `${p.kind}:${p.objectId}:${p.form}`).sort();
const find = (lab: Lab, pred: (k: KeyLocation) => boolean) => lab.getView().keyMap.find(pred);

describe('view.keyMap', () => {
  it('shows a standard KEK on the KMS nodes, as an ID in vCenter and the VM files, and plain in the host running it', async () => {
    const { lab } = await openTestLab();
    const keyId = vmOf(lab, 'db-01').encryption!.keyId;
    expect(placesOf(lab, keyId)).toEqual([
      'host-ram:esx-01:plain',
      'kms:kms-a:plain',
      'kms:kms-b:plain',
      'vcenter-db:vcenter:key-id',
      'vm-files:db-01:key-id',
    ]);
    const dek = find(lab, (k) => k.level === 'DEK' && k.places.some((p) => p.objectId === 'db-01'))!;
    expect(dek.wrappedBy).toBe(keyId);
    expect(dek.fingerprint).toBe(vmOf(lab, 'db-01').encryption!.dekFingerprint);
    lab.dispose();
  });

  it('follows the NKP KDK into the hosts’ memory and encrypted configurations and the backup file, and keeps what outlives vCenter', async () => {
    const { lab } = await openTestLab();
    await ok(lab, { type: 'provider.addNative', name: 'NKP-01', tpmOnly: true });
    await lab.exportNkpBackup('NKP-01', 'pw');
    await ok(lab, { type: 'vm.rekeyShallow', vmId: 'db-01', providerId: 'NKP-01' });
    const kdk = find(lab, (k) => k.level === 'KDK')!;
    expect(placesOf(lab, kdk.keyId)).toEqual([
      'backup-file:NKP-01:wrapped',
      'host-config:esx-01:wrapped',
      'host-config:esx-02:wrapped',
      'host-ram:esx-01:plain',
      'host-ram:esx-02:plain',
      'vcenter-db:vcenter:plain',
    ]);
    // The NKP KEK is derived from the KDK and its key ID: nothing wraps it, and only its ID is kept anywhere.
    const kek = vmOf(lab, 'db-01').encryption!.keyId;
    expect(find(lab, (k) => k.keyId === kek)).toMatchObject({ derivedFrom: kdk.keyId, wrappedBy: null });
    expect(placesOf(lab, kek)).toEqual(['host-ram:esx-01:plain', 'vcenter-db:vcenter:key-id', 'vm-files:db-01:key-id']);

    await ok(lab, { type: 'vcenter.destroy' });
    expect(lab.getView().vcenterStatus).toBe('destroyed');
    expect(placesOf(lab, kdk.keyId)).not.toContain('vcenter-db:vcenter:plain');
    expect(placesOf(lab, kdk.keyId)).toContain('backup-file:NKP-01:wrapped');
    expect(placesOf(lab, kdk.keyId)).toContain('host-config:esx-01:wrapped');
    lab.dispose();
  });
});
