// Lesson 2 headless: each step's check against states that pass it and states that do not, every misconception it
// names, the predictions observed, and the whole lesson done by "show me" ending on the guest files read back.
import { afterEach, describe, expect, it } from 'vitest';
import { closeLessonLabs, completeWithShowMe, startLessonForTest } from '@/machines/lessons/test-support';
import { lesson } from './kms-to-nkp.lesson';

afterEach(closeLessonLabs);

const statusOf = (r: { status: string }) => r.status;

describe('lesson kms-to-nkp', () => {
  it('starts with every VM on the KMS, NKP-1 backed up and default, and no step done', async () => {
    const t = await startLessonForTest(lesson);
    const view = t.lab.getView();
    expect(view.vcenter!.keyProviders.find((p) => p.name === 'NKP-1')).toMatchObject({ kind: 'native', status: 'active', isDefault: true });
    expect(Object.values(t.baseline.vms).map((v) => v.providerName)).toEqual(['KMS-Cluster', 'KMS-Cluster', 'KMS-Cluster']);
    for (const step of lesson.steps) expect(statusOf(t.check(step.id))).not.toBe('done');
    expect(t.check('shallow-running')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/db-01 and web-01 still get their KEK from KMS-Cluster/) });
  });

  it('shallow step: powering a VM off to re-key it is named; a shallow re-key with the VMs on passes', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vm.powerOff', vmId: 'web-01' });
    expect(t.check('shallow-running')).toMatchObject({ status: 'misconception', id: 'shallow-needs-no-downtime' });
    await t.must({ type: 'vm.powerOn', vmId: 'web-01' });
    await t.must({ type: 'vm.rekeyShallow', vmId: 'db-01' });
    expect(t.check('shallow-running')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^web-01 still gets its KEK/) });
    await t.must({ type: 'vm.rekeyShallow', vmId: 'web-01', providerId: 'NKP-1' });
    expect(t.check('shallow-running')).toEqual({ status: 'done' });
    const db = t.lab.getView().vms.find((v) => v.id === 'db-01')!;
    expect(db.encryption!.dekFingerprint).toBe(t.baseline.vms['db-01']!.dekFingerprint);
  });

  it('names a key retired on the KMS while a VM still uses it, and a provider removed too early', async () => {
    const t = await startLessonForTest(lesson);
    const webKey = t.baseline.vms['web-01']!.keyId!;
    await t.must({ type: 'kms.revokeKey', kmsId: 'kms-a', keyId: webKey });
    const result = t.check('shallow-running');
    expect(result).toMatchObject({ status: 'misconception', id: 'key-retired-while-in-use' });
    // web-01 still runs: its host holds the KEK, so the advice is to re-key it now, which works.
    expect(result.status === 'misconception' && result.message).toMatch(/shallow re-key it to NKP-1 now/);
    await t.must({ type: 'vm.rekeyShallowMany', vmIds: ['db-01', 'web-01'], providerId: 'NKP-1' });
    expect(t.check('shallow-running')).toEqual({ status: 'done' });

    await t.must({ type: 'provider.remove', providerId: 'KMS-Cluster' });
    expect(t.check('deep-archive')).toMatchObject({ status: 'misconception', id: 'provider-removed-while-in-use' });
  });

  it('deep step: a shallow move of archive-01 is not enough; the deep re-key changes its DEK and the prediction sees it', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vm.rekeyShallowMany', vmIds: ['db-01', 'web-01'], providerId: 'NKP-1' });
    await t.must({ type: 'vm.rekeyShallow', vmId: 'archive-01', providerId: 'NKP-1' });
    expect(t.check('deep-archive')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/with its old DEK/) });
    await t.must({ type: 'vm.rekeyDeep', vmId: 'archive-01', providerId: 'NKP-1' });
    expect(t.check('deep-archive')).toEqual({ status: 'done' });
    expect(t.observe('deep-archive', 'db-01').choice).toBe('kekOnly');
    expect(t.observe('deep-archive', 'archive-01')).toMatchObject({ choice: 'kekAndDek', reason: expect.stringMatching(/all 512 sectors/) });
  });

  it('proof step: VMs still running prove nothing until the hosts reboot with the KMS down; a VM left on the KMS must move first', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vm.rekeyShallowMany', vmIds: ['db-01', 'web-01'], providerId: 'NKP-1' });
    await t.must({ type: 'kms.down', kmsId: 'kms-a' });
    await t.must({ type: 'kms.down', kmsId: 'kms-b' });
    // archive-01 is still on the KMS.
    expect(t.check('prove-without-kms')).toMatchObject({ status: 'notYet', missing: 'Move archive-01 to NKP-1 first.' });
    await t.must({ type: 'kms.restore', kmsId: 'kms-a' });
    // A host rebooted before the nodes went down does not count.
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    await t.must({ type: 'vm.rekeyDeep', vmId: 'archive-01', providerId: 'NKP-1' });
    await t.must({ type: 'kms.down', kmsId: 'kms-a' });
    expect(t.check('prove-without-kms')).toMatchObject({ status: 'notYet', missing: 'Reboot esx-01 and esx-02 now that the KMS is down.' });
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    await t.must({ type: 'host.reboot', hostId: 'esx-02' });
    expect(t.check('prove-without-kms')).toMatchObject({ status: 'notYet', missing: 'Power on db-01, web-01 and archive-01.' });
    for (const vmId of ['db-01', 'web-01', 'archive-01']) await t.must({ type: 'vm.powerOn', vmId });
    expect(t.check('prove-without-kms')).toEqual({ status: 'done' });
    expect(t.observe('prove-without-kms', 'web-01')).toMatchObject({ choice: 'starts', reason: expect.stringMatching(/NKP-1/) });
  });

  it('decommission step: needs every old key retired and the provider removed', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vm.rekeyShallowMany', vmIds: ['db-01', 'web-01', 'archive-01'], providerId: 'NKP-1' });
    expect(t.check('decommission')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^3 old key\(s\) are still Active/) });
    for (const vmId of ['db-01', 'web-01']) await t.must({ type: 'kms.revokeKey', kmsId: 'kms-b', keyId: t.baseline.vms[vmId]!.keyId! });
    await t.must({ type: 'kms.destroyKey', kmsId: 'kms-a', keyId: t.baseline.vms['archive-01']!.keyId! });
    expect(t.check('decommission')).toMatchObject({ status: 'notYet', missing: 'Remove KMS-Cluster from Key Providers.' });
    await t.must({ type: 'provider.remove', providerId: 'KMS-Cluster' });
    expect(t.check('decommission')).toEqual({ status: 'done' });
  });

  it('can be done end to end with "show me", and the guest files read back through NKP-1', async () => {
    const { proof } = await completeWithShowMe(await startLessonForTest(lesson));
    expect(proof).toMatchObject({ kind: 'readBack', ok: true });
    if (proof.kind === 'readBack') expect(proof.files).toHaveLength(3);
  });
});
