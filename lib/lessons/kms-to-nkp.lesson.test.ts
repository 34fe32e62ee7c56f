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

  it('names a key revoked on the KMS while a VM still uses it, and a provider removed too early', async () => {
    const t = await startLessonForTest(lesson);
    const webKey = t.baseline.vms['web-01']!.keyId!;
    await t.must({ type: 'kms.revokeKey', kmsId: 'kms-a', keyId: webKey });
    const result = t.check('shallow-running');
    expect(result).toMatchObject({ status: 'misconception', id: 'key-revoked-while-in-use' });
    // Revoked keeps the material: the way back is the KMS administrator's Reactivate; and web-01's host still holds
    // the KEK, so re-keying it now works too.
    expect(result.status === 'misconception' && result.message).toMatch(/reactivate it/);
    expect(result.status === 'misconception' && result.message).toMatch(/shallow re-key web-01 to NKP-1 now, before that host reboots/);
    await t.must({ type: 'vm.rekeyShallowMany', vmIds: ['db-01', 'web-01'], providerId: 'NKP-1' });
    expect(t.check('shallow-running')).toEqual({ status: 'done' });

    await t.must({ type: 'provider.remove', providerId: 'KMS-Cluster' });
    expect(t.check('deep-archive')).toMatchObject({ status: 'misconception', id: 'provider-removed-while-in-use' });
  });

  it('a revoked key of a powered-off VM: the KMS administrator reactivates it, and the lesson goes on', async () => {
    const t = await startLessonForTest(lesson);
    const archiveKey = t.baseline.vms['archive-01']!.keyId!;
    await t.must({ type: 'vm.rekeyShallowMany', vmIds: ['db-01', 'web-01'], providerId: 'NKP-1' });
    await t.must({ type: 'kms.revokeKey', kmsId: 'kms-b', keyId: archiveKey });
    expect(t.check('deep-archive')).toMatchObject({ status: 'misconception', id: 'key-revoked-while-in-use' });
    await t.must({ type: 'kms.reactivateKey', kmsId: 'kms-a', keyId: archiveKey });
    expect(t.check('deep-archive')).toMatchObject({ status: 'notYet' });
    await t.must({ type: 'vm.rekeyDeep', vmId: 'archive-01', providerId: 'NKP-1' });
    expect(t.check('deep-archive')).toEqual({ status: 'done' });
  });

  it('a destroyed key: final once no host holds the KEK; while the host still does, re-keying now saves the VM', async () => {
    const t = await startLessonForTest(lesson);
    const dbKey = t.baseline.vms['db-01']!.keyId!;
    await t.must({ type: 'kms.destroyKey', kmsId: 'kms-a', keyId: dbKey });
    expect((await t.lab.dispatch({ type: 'kms.reactivateKey', kmsId: 'kms-a', keyId: dbKey })).ok).toBe(false);
    // Powering db-01 off drops nothing: esx-01 keeps the KEK until it reboots, and the advice says so.
    await t.must({ type: 'vm.powerOff', vmId: 'db-01' });
    const saved = t.check('shallow-running');
    expect(saved).toMatchObject({ status: 'misconception', id: 'key-destroyed-while-in-use' });
    expect(saved.status === 'misconception' && saved.message).toMatch(/esx-01.lab.local still holds the KEK in its key cache/);
    await t.must({ type: 'vm.rekeyShallow', vmId: 'db-01', providerId: 'NKP-1' });
    await t.must({ type: 'vm.powerOn', vmId: 'db-01' });
    await t.must({ type: 'vm.rekeyShallow', vmId: 'web-01', providerId: 'NKP-1' });
    expect(t.check('shallow-running')).toEqual({ status: 'done' });

    // archive-01's host reboots after its key is destroyed: nothing holds that KEK any more.
    const archiveKey = t.baseline.vms['archive-01']!.keyId!;
    await t.must({ type: 'kms.destroyKey', kmsId: 'kms-b', keyId: archiveKey });
    await t.must({ type: 'host.reboot', hostId: 'esx-02' });
    const lost = t.check('deep-archive');
    expect(lost).toMatchObject({ status: 'misconception', id: 'key-destroyed-while-in-use' });
    expect(lost.status === 'misconception' && lost.message).toMatch(/restored from a backup taken before the destroy/);
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

  it('decommission step: needs every old key retired and the provider removed; show me revokes, never destroys', async () => {
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
    const t = await startLessonForTest(lesson);
    const { proof } = await completeWithShowMe(t);
    // Decommissioning kept the old keys: revoked (Deactivated), not destroyed, for backups, replicas and DR copies.
    const states = Object.values(t.baseline.vms).flatMap((v) => t.lab.getView().kmsNodes.flatMap((n) => n.keys.filter((k) => k.keyId === v.keyId).map((k) => k.state)));
    expect(states.length).toBeGreaterThan(0);
    expect(new Set(states)).toEqual(new Set(['Deactivated']));
    expect(proof).toMatchObject({ kind: 'readBack', ok: true });
    if (proof.kind === 'readBack') expect(proof.files).toHaveLength(3);
  });
});
