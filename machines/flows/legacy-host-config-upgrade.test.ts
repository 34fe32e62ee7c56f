// A lab saved before hosts kept an encrypted configuration (a TPM host's KDK sealed straight in its TPM as
// `tpmSealedKeys`, a host without one holding it in RAM only) opens: each host gets its configuration written for
// real, holding the KDKs whose bytes vCenter still has, so both kinds of host now keep them across a reboot; a KDK
// whose bytes only the TPM holds stays sealed there and is still read at boot.
import { afterEach, describe, expect, it } from 'vitest';
import { deleteDatastoreFiles, deleteKey, getKey, putKey, type KeylabDb } from '@/lib/storage';
import { bootDiskStore, hostRamRow, tpmOwner, tpmRow, tpmSealingKeyRow } from '../keys/key-vault-ids';
import { readBootDisk } from '../keys/host-config';
import { EDGE_FILES, closeFlowLabs, expectGuestData, must, openFlowLab, refused, reopenFlowLab, setUpNkp, type FlowLab } from './flow-support';

afterEach(closeFlowLabs);

const HOSTS = ['esx-01', 'esx-02', 'esx-03'];

/** Rewrites the saved lab and the stored world as a keylab from before the encrypted configuration left them. */
async function makeLegacy(db: KeylabDb, labId: string, kdkKeyId: string): Promise<void> {
  const row = (await db.savedLabs.get(labId))!;
  const saved = JSON.parse(row.snapshotJson);
  for (const hostId of HOSTS) {
    const ctx = saved.root.children[`host:${hostId}`].snapshot.context;
    ctx.tpmSealedKeys = ctx.hasTpm ? ctx.configuration.keys.map(({ keyId, providerId, fingerprint }: Record<string, string>) => ({ keyId, level: 'KDK', providerId, fingerprint })) : [];
    delete ctx.configuration;
    delete ctx.bootDiskCopy;
    await deleteDatastoreFiles(db, bootDiskStore(hostId));
    await deleteKey(db, tpmSealingKeyRow(hostId));
    // The old TPM held the host's own derive-only copy of the KDK.
    const ram = await getKey(db, hostRamRow(hostId, kdkKeyId));
    if (ctx.hasTpm && ram) await putKey(db, { id: tpmRow(hostId, kdkKeyId), owner: tpmOwner(hostId), key: ram.key, meta: ram.meta });
  }
  await db.savedLabs.put({ ...row, snapshotJson: JSON.stringify(saved), worldStamp: null });
}

async function legacyLab(label: string, beforeSave: (flow: FlowLab) => Promise<void> = async () => {}) {
  const flow = await openFlowLab(label);
  const nkp = await setUpNkp(flow.lab, 'NKP-open', false);
  await must(flow.lab, { type: 'vm.powerOff', vmId: 'edge-01' });
  await must(flow.lab, { type: 'vm.encrypt', vmId: 'edge-01', providerId: nkp.providerId });
  await must(flow.lab, { type: 'vm.rekeyShallow', vmId: 'db-01', providerId: nkp.providerId });
  await beforeSave(flow);
  await flow.lab.save();
  flow.lab.dispose();
  await makeLegacy(flow.db, flow.labId, nkp.keyId);
  return { reopened: await reopenFlowLab(flow), nkp };
}

describe('a lab saved before hosts kept an encrypted configuration', () => {
  it('opens with a real configuration on every host; both kinds of host then keep the KDK across a reboot', async () => {
    const { reopened, nkp } = await legacyLab('legacy-config');
    const { lab, db } = reopened;
    for (const hostId of HOSTS) {
      const host = lab.getView().hosts.find((h) => h.id === hostId)!;
      expect(host.configuration, hostId).toMatchObject({ keys: [expect.objectContaining({ keyId: nkp.keyId })], locked: false, protection: host.hasTpm ? 'tpm' : 'bootDisk' });
      expect(await readBootDisk(db, hostId), hostId).not.toBeNull();
      // The KDK moved into the archive: the old TPM row is gone.
      expect(await getKey(db, tpmRow(hostId, nkp.keyId)), hostId).toBeUndefined();
    }
    expect(lab.getView().events.filter((e) => e.message.includes('before hosts kept an encrypted configuration'))).toHaveLength(3);

    await must(lab, { type: 'vcenter.stop' });
    for (const hostId of ['esx-01', 'esx-03']) await must(lab, { type: 'host.reboot', hostId });
    for (const vmId of ['edge-01', 'db-01']) await must(lab, { type: 'vm.powerOn', vmId });
    await expectGuestData(lab, 'edge-01', EDGE_FILES);
    await expectGuestData(lab, 'db-01');
  });

  it('with vCenter gone before the save: the TPM host keeps its sealed KDK, the host without one cannot keep it', async () => {
    const { reopened, nkp } = await legacyLab('legacy-config-gone', async ({ lab }) => {
      await must(lab, { type: 'vm.powerOff', vmId: 'db-01' });
      await must(lab, { type: 'vcenter.destroy' });
    });
    const { lab, db } = reopened;
    const host = (id: string) => lab.getView().hosts.find((h) => h.id === id)!;
    expect(host('esx-01').configuration.keys.map((k) => k.keyId)).toEqual([nkp.keyId]);
    expect(await getKey(db, tpmRow('esx-01', nkp.keyId))).toBeDefined();
    expect(host('esx-03').configuration.keys).toEqual([]);
    expect(lab.getView().events.some((e) => e.objectId === 'esx-03' && /could not be kept/.test(e.message))).toBe(true);

    await must(lab, { type: 'host.reboot', hostId: 'esx-01' });
    await must(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    await expectGuestData(lab, 'db-01');
    await must(lab, { type: 'host.reboot', hostId: 'esx-03' });
    expect(await refused(lab, { type: 'vm.powerOn', vmId: 'edge-01' })).toMatchObject({ code: 'VM_LOCKED' });
  });
});
