// A lab saved before NKP keys were derived (its NKP KEK random, carried wrapped by the KDK in the .vmx; the hosts' KDK
// copies extractable) opens: the VM moves to the derived KEK under the same key ID, the hosts' copies become
// derive-only, and the guest data reads back byte for byte, through a reboot too.
import { afterEach, describe, expect, it } from 'vitest';
import { deriveKek } from '@/lib/crypto/derive';
import { generateKek } from '@/lib/crypto/keys';
import { wrapKey } from '@/lib/crypto/wrap';
import { getKey, putKey, readTextFile, writeTextFile } from '@/lib/storage';
import { formatKeyLocator } from '@/lib/vmware';
import { readVmFiles, rekeyShallow } from '../data-plane';
import { hostRamRow, vcenterKdkRow } from '../keys/key-vault-ids';
import { closeFlowLabs, expectGuestData, must, openFlowLab, openNkpFlowLab, reopenFlowLab, vmView, vmxOf } from './flow-support';

afterEach(closeFlowLabs);

describe('a lab saved before NKP keys were derived', () => {
  it('opens with its NKP VM moved to the derived key, the hosts’ KDK copies derive-only, and the data intact', async () => {
    const first = await openNkpFlowLab('legacy-nkp');
    const { lab, db, nkp } = first;
    const vm = vmView(lab, 'db-01');
    const keyId = vm.encryption!.keyId;
    await lab.save();
    lab.dispose();

    // What an earlier keylab left: a random KEK, wrapped by the KDK in the key locator; extractable host copies.
    const kdk = (await getKey(db, vcenterKdkRow(nkp.providerId)))!.key;
    const legacyKek = await generateKek({ extractable: true });
    const files = await readVmFiles(db, vm.datastoreId, vm.folder);
    await rekeyShallow(db, files, await deriveKek(kdk, keyId), { key: legacyKek, keyId, providerId: nkp.providerId, kdkKeyId: null });
    const locator = formatKeyLocator({ providerId: nkp.providerId, keyId, wrappedKey: await wrapKey(legacyKek, kdk) });
    const vmxText = (await readTextFile(db, vm.datastoreId, files.vmxPath))!;
    await writeTextFile(db, vm.datastoreId, files.vmxPath, vmxText.replace(/^encryption\.keySafe = ".*"$/m, `encryption.keySafe = "${locator}"`));
    for (const hostId of ['esx-01', 'esx-02']) {
      const row = hostRamRow(hostId, nkp.keyId);
      const stored = (await getKey(db, row))!;
      await putKey(db, { id: row, owner: stored.owner, key: kdk, meta: stored.meta });
    }
    const ramKek = (await getKey(db, hostRamRow('esx-01', keyId)))!;
    await putKey(db, { id: ramKek.id, owner: ramKek.owner, key: legacyKek, meta: ramKek.meta });
    expect((await readVmFiles(db, vm.datastoreId, vm.folder)).home!.legacyKekWrappedByKdk).toHaveLength(40);

    const { lab: reopened } = await reopenFlowLab(first);
    expect(reopened.getView().events.some((e) => e.objectId === 'db-01' && e.message.includes('saved by an earlier keylab') && e.message.includes('now derived'))).toBe(true);
    const vmx = await vmxOf(reopened, 'db-01');
    expect(vmx).toContain(`keylab.nkpKeyId = "${nkp.keyId}"`);
    expect(vmx).toContain(`${keyId},HMAC-SHA-256,))"`); // no key in the locator any more
    expect(vmView(reopened, 'db-01').encryption!.keyId).toBe(keyId);
    for (const hostId of ['esx-01', 'esx-02']) expect((await getKey(db, hostRamRow(hostId, nkp.keyId)))!.key.extractable, hostId).toBe(false);
    await expectGuestData(reopened, 'db-01');
    await must(reopened, { type: 'host.reboot', hostId: 'esx-01' });
    await must(reopened, { type: 'vm.powerOn', vmId: 'db-01' });
    await expectGuestData(reopened, 'db-01');
  });

  it('adds a vTPM that was only a flag in the .vmx again for real: its VM home encrypted, its .nvram sealed', async () => {
    const first = await openFlowLab('legacy-vtpm');
    const { lab, db } = first;
    await must(lab, { type: 'vm.addVtpm', vmId: 'app-01' });
    const vm = vmView(lab, 'app-01');
    await lab.save();
    lab.dispose();
    // What an earlier keylab left: vtpm.present in the .vmx and nothing else (no key, no .nvram).
    const files = await readVmFiles(db, vm.datastoreId, vm.folder);
    const vmxText = (await readTextFile(db, vm.datastoreId, files.vmxPath))!;
    await writeTextFile(db, vm.datastoreId, files.vmxPath, vmxText.replace(/^(encryption\.keySafe|encryption\.data|keylab\.nkpKeyId) = .*\n/gm, ''));
    await db.datastoreFiles.delete([vm.datastoreId, files.nvramPath!]);
    expect(await readVmFiles(db, vm.datastoreId, vm.folder)).toMatchObject({ vtpm: true, nvramPath: null, home: null });

    const { lab: reopened } = await reopenFlowLab(first);
    const again = vmView(reopened, 'app-01');
    expect(again).toMatchObject({ vtpm: true, homeEncryption: { providerId: 'KMS-Cluster' } });
    expect(await reopened.readDatastoreFile(vm.datastoreId, `${vm.folder}/app-01.nvram`)).toContain(`encryption.keyId = "${again.homeEncryption!.keyId}"`);
    expect(reopened.getView().events.some((e) => e.objectId === 'app-01' && e.message.includes('was added again'))).toBe(true);
  });
});
