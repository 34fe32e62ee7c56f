// The key map as data, from real lab views: where each key sits (KMS, vCenter, host RAM, TPM, VM files, backup), in
// what form, why an empty place is empty, and the wrap hierarchy from KDK to KEK to DEK.
import { afterEach, describe, expect, it } from 'vitest';
import { closeTestLabs, ok as must, openTestLab } from '@/machines/session/lab-test-support';
import type { Lab } from '@/machines/lab-types';
import { buildKeyTree, buildLanes, describePlace, LANES, objectNames, shortFingerprint, shortId, type Lane } from './key-map-model';

afterEach(closeTestLabs);
const starterLab = async (): Promise<Lab> => (await openTestLab()).lab;
const lane = (lanes: Lane[], kind: Lane['kind']) => lanes.find((l) => l.kind === kind)!;
const objectOf = (l: Lane, id: string) => l.objects.find((o) => o.objectId === id)!;

describe('buildLanes', () => {
  it('puts every key where it is, in its form: KEKs plain on the KMS, by ID in vCenter, wrapped DEKs in the VM files', async () => {
    const view = (await starterLab()).getView();
    const lanes = buildLanes(view);
    expect(lanes.map((l) => l.kind)).toEqual(LANES.map((l) => l.kind));
    const dbKek = view.vms.find((v) => v.id === 'db-01')!.encryption!.keyId;
    expect(objectOf(lane(lanes, 'kms'), 'kms-a').keys).toContainEqual(expect.objectContaining({ form: 'plain', key: expect.objectContaining({ keyId: dbKek }) }));
    expect(objectOf(lane(lanes, 'vcenter-db'), view.vcenter!.id).keys.find((k) => k.key.keyId === dbKek)?.form).toBe('key-id');
    const files = objectOf(lane(lanes, 'vm-files'), 'db-01').keys;
    // Sorted by level: the KEK (named by ID) before the DEK it wraps.
    expect(files.map((k) => [k.key.level, k.form])).toEqual([
      ['KEK', 'key-id'],
      ['DEK', 'wrapped'],
    ]);
    expect(objectOf(lane(lanes, 'host-ram'), 'esx-01').keys.map((k) => k.key.keyId)).toContain(dbKek);
  });

  it('says why a place is empty, and how each host’s configuration is protected: a plain VM, a host without TPM, no backup yet', async () => {
    const lanes = buildLanes((await starterLab()).getView());
    expect(objectOf(lane(lanes, 'vm-files'), 'app-01')).toMatchObject({ keys: [], emptyText: 'Not encrypted: no keys in its files.' });
    expect(objectOf(lane(lanes, 'host-config'), 'esx-03')).toMatchObject({ note: 'key on boot disk', emptyText: 'No key provider keys in its configuration.' });
    expect(objectOf(lane(lanes, 'host-config'), 'esx-01')).toMatchObject({ note: 'key sealed by TPM' });
    expect(lane(lanes, 'backup-file')).toMatchObject({ objects: [], emptyText: 'No NKP backup made yet: back up a Native Key Provider to get one.' });
  });

  it('after a host powers off and vCenter is destroyed: RAM empty, and the key database gone with vCenter', async () => {
    const lab = await starterLab();
    await must(lab, { type: 'host.powerOff', hostId: 'esx-02' });
    await must(lab, { type: 'vcenter.destroy' });
    const lanes = buildLanes(lab.getView());
    expect(objectOf(lane(lanes, 'host-ram'), 'esx-02')).toMatchObject({ note: 'powered off', keys: [], emptyText: 'Powered off: RAM is empty.' });
    expect(lane(lanes, 'vcenter-db')).toMatchObject({ objects: [], emptyText: 'vCenter is gone: its key database went with it.' });
  });
});

describe('the key tree and names', () => {
  it('hangs each DEK under the KEK that wraps it', async () => {
    const view = (await starterLab()).getView();
    const roots = buildKeyTree(view.keyMap);
    const kek = view.vms.find((v) => v.id === 'web-01')!.encryption!.keyId;
    const node = roots.find((n) => n.key.keyId === kek)!;
    expect(node.key.level).toBe('KEK');
    expect(node.children.map((c) => c.key.keyId)).toEqual(['dek:web-01']);
    expect(roots.some((n) => n.key.level === 'DEK')).toBe(false);
  });

  it('names places in words and shortens long IDs', async () => {
    const names = objectNames((await starterLab()).getView());
    expect(describePlace({ kind: 'host-ram', objectId: 'esx-01', form: 'plain' }, names)).toBe('RAM of host esx-01.lab.local (plain key)');
    expect(describePlace({ kind: 'vm-files', objectId: 'gone-vm', form: 'wrapped' }, names)).toBe('files of VM gone-vm (wrapped)');
    expect(shortId('0123456789abcdef')).toBe('01234567…');
    expect(shortId('short')).toBe('short');
    expect(shortFingerprint('sha256:0123456789')).toBe('sha256:0123…');
  });
});
