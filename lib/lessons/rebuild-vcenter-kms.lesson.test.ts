// Lesson 10 headless: vCenter lost, the KMS cluster alive. The provider added back under another name (or an NKP in
// its place) is named and recovered from; hosts added before the provider lock the powered-off VM, which unlocks once
// the provider is back; the reboot proof needs the KEK fetched again; "show me" ends on every file read back.
import { afterEach, describe, expect, it } from 'vitest';
import { closeLessonLabs, completeWithShowMe, startLessonForTest } from '@/machines/lessons/test-support';
import { lesson } from './rebuild-vcenter-kms.lesson';

afterEach(closeLessonLabs);

const NODES = ['kms-a', 'kms-b'];

async function deployed() {
  const t = await startLessonForTest(lesson);
  await t.must({ type: 'vcenter.deploy' });
  return t;
}

describe('lesson 10: rebuild vCenter with a standard key provider', () => {
  it('starts with vCenter destroyed, the KMS up and two of three encrypted VMs running', async () => {
    const t = await startLessonForTest(lesson);
    const view = t.lab.getView();
    expect(view.vcenterStatus).toBe('destroyed');
    expect(view.kmsNodes.map((n) => n.status)).toEqual(['up', 'up']);
    expect(Object.values(t.baseline.vms).map((v) => [v.providerName, v.power])).toEqual([
      ['KMS-Cluster', 'on'],
      ['KMS-Cluster', 'on'],
      ['KMS-Cluster', 'off'],
    ]);
    for (const step of lesson.steps) expect(t.check(step.id).status).not.toBe('done');
    await t.must({ type: 'vcenter.deploy' });
    expect(t.check('deploy')).toEqual({ status: 'done' });
  });

  it('another name, or an NKP, is named; removing it and adding KMS-Cluster with both nodes passes', async () => {
    const t = await deployed();
    await t.must({ type: 'provider.addStandard', name: 'KMS-New', kmsNodeIds: NODES });
    const other = t.check('add-kms-cluster');
    expect(other).toMatchObject({ status: 'misconception', id: 'other-provider-name' });
    expect(other.status === 'misconception' && other.message).toMatch(/cannot be renamed/);
    await t.must({ type: 'provider.remove', providerId: 'KMS-New' });
    await t.must({ type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    expect(t.check('add-kms-cluster')).toMatchObject({ status: 'misconception', id: 'nkp-for-kms-keys' });
    await t.must({ type: 'provider.remove', providerId: 'NKP-1' });
    await t.must({ type: 'provider.addStandard', name: 'KMS-Cluster', kmsNodeIds: ['kms-a'] });
    expect(t.check('add-kms-cluster')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/lacks kms-b/) });
    await t.must({ type: 'provider.remove', providerId: 'KMS-Cluster' });
    await t.must({ type: 'provider.addStandard', name: 'KMS-Cluster', kmsNodeIds: NODES });
    expect(t.check('add-kms-cluster')).toEqual({ status: 'done' });
  });

  it('hosts added under the wrong provider lock archive-01; the right provider and Unlock VM recover it', async () => {
    const t = await deployed();
    await t.must({ type: 'provider.addStandard', name: 'KMS-New', kmsNodeIds: NODES });
    for (const hostId of ['esx-01', 'esx-02']) await t.must({ type: 'host.add', hostId });
    expect(t.lab.getView().vms.find((v) => v.id === 'archive-01')!.locked).not.toBeNull();
    expect(t.check('add-hosts')).toMatchObject({ status: 'misconception', id: 'other-provider-name' });
    await t.must({ type: 'provider.remove', providerId: 'KMS-New' });
    await t.must({ type: 'provider.addStandard', name: 'KMS-Cluster', kmsNodeIds: NODES });
    expect(t.check('add-hosts')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^archive-01 was locked .*Unlock VM/) });
    await t.must({ type: 'vm.unlock', vmId: 'archive-01' });
    expect(t.check('add-hosts')).toEqual({ status: 'done' });
  });

  it('with KMS-Cluster back first, adding the hosts locks nothing, as the prediction observes', async () => {
    const t = await deployed();
    await t.must({ type: 'provider.addStandard', name: 'KMS-Cluster', kmsNodeIds: NODES });
    await t.must({ type: 'host.add', hostId: 'esx-01' });
    expect(t.check('add-hosts')).toMatchObject({ status: 'notYet', missing: 'Not in vCenter yet: esx-02.lab.local.' });
    await t.must({ type: 'host.add', hostId: 'esx-02' });
    expect(t.check('add-hosts')).toEqual({ status: 'done' });
    expect(t.observe('add-hosts', 'db-01').choice).toBe('runs');
    expect(t.observe('add-hosts', 'archive-01').choice).toBe('canStart');
  });

  it('the proof needs esx-01 rebooted after the provider is back, every VM on, and db-01’s KEK fetched from the KMS', async () => {
    const t = await deployed();
    // A reboot before the provider is back proves nothing (and locks db-01 once it is off): it does not count.
    await t.must({ type: 'provider.addStandard', name: 'KMS-Cluster', kmsNodeIds: NODES });
    for (const hostId of ['esx-01', 'esx-02']) await t.must({ type: 'host.add', hostId });
    expect(t.check('prove')).toMatchObject({ status: 'notYet', missing: 'Reboot esx-01.lab.local (its page > Reboot).' });
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    expect(t.check('prove')).toMatchObject({ status: 'notYet', missing: 'Power on db-01 and archive-01.' });
    await t.must({ type: 'vm.powerOn', vmId: 'archive-01' });
    await t.must({ type: 'vm.powerOn', vmId: 'db-01' });
    expect(t.check('prove')).toEqual({ status: 'done' });
    expect(t.observe('prove', 'db-01')).toMatchObject({ choice: 'starts', reason: expect.stringMatching(/asked KMS-Cluster for key/) });
  });

  it('the whole lesson by “show me”, from a wrong provider name on: every guest file reads back', async () => {
    const t = await deployed();
    await t.must({ type: 'provider.addStandard', name: 'KMS-New', kmsNodeIds: NODES });
    const { proof } = await completeWithShowMe(t, {
      from: 'add-kms-cluster',
      predictions: { 'add-hosts': { 'db-01': 'runs', 'web-01': 'runs', 'archive-01': 'locked' }, prove: { 'db-01': 'starts' } },
    });
    expect(t.lab.getView().vcenter!.keyProviders.map((p) => p.name)).toEqual(['KMS-Cluster']);
    expect(proof).toMatchObject({ kind: 'readBack', ok: true });
    expect(proof.kind === 'readBack' && proof.files).toHaveLength(3);
  });
});
