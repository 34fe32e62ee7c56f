// Lesson 7 headless: a key made with kms-a down (at once) or hung (after the 60 s wait), the replication lag that
// locks a VM whose key has not reached kms-b (and the misconception of unlocking too early), the node order that
// removes the wait, and the lesson done by "show me" with the guest files read back.
import { afterEach, describe, expect, it } from 'vitest';
import { closeLessonLabs, completeWithShowMe, settle, startLessonForTest, type LessonTestLab } from '@/machines/lessons/test-support';
import { lesson } from './kms-availability.lesson';

afterEach(closeLessonLabs);

const observe = (t: LessonTestLab, stepId: string, vmId: string) => t.observe(stepId, vmId).choice;

/** Once vCenter is waiting on the hung node, moves lab time past its 60 s wait. */
async function pastTheWait(t: LessonTestLab) {
  for (let i = 0; i < 50 && t.lab.getView().clock.pendingWaits.length === 0; i++) await settle(5);
  expect(t.lab.getView().clock.pendingWaits).toHaveLength(1);
  await t.must({ type: 'clock.advance', ms: 60_000 });
}

/** Runs a command that waits on a hung node: lab time is moved on until it is done. */
async function throughWait(t: LessonTestLab, command: Parameters<LessonTestLab['must']>[0]) {
  const pending = t.lab.dispatch(command);
  await pastTheWait(t);
  expect(await pending).toMatchObject({ ok: true });
}

describe('lesson kms-availability', () => {
  it('node down: a key made while kms-a was up does not count; with kms-a down it comes from kms-b at once', async () => {
    const t = await startLessonForTest(lesson);
    expect(t.check('node-down')).toMatchObject({ status: 'notYet', missing: 'Take kms-a down, then Encrypt web-01.' });
    await t.must({ type: 'vm.encrypt', vmId: 'web-01' });
    expect(t.check('node-down')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/while kms-a was up/) });
    await t.must({ type: 'kms.down', kmsId: 'kms-a' });
    await t.must({ type: 'vm.rekeyShallow', vmId: 'web-01' });
    expect(t.check('node-down')).toEqual({ status: 'done' });
    expect(observe(t, 'node-down', 'web-01')).toBe('at-once');
  });

  it('node hung: the key comes after vCenter waited 60 s on kms-a', async () => {
    const t = await startLessonForTest(lesson);
    // A key made with kms-a down is the first experiment, not this one.
    await t.must({ type: 'kms.down', kmsId: 'kms-a' });
    await t.must({ type: 'vm.encrypt', vmId: 'web-02' });
    expect(t.check('node-hung')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^web-02 got its key while kms-a was down\. Make kms-a hung first/) });
    await t.must({ type: 'kms.restore', kmsId: 'kms-a' });
    await t.must({ type: 'vm.decrypt', vmId: 'web-02' });
    await t.must({ type: 'kms.hang', kmsId: 'kms-a' });
    await throughWait(t, { type: 'vm.encrypt', vmId: 'web-02' });
    expect(t.check('node-hung')).toEqual({ status: 'done' });
    expect(observe(t, 'node-hung', 'web-02')).toBe('after-60');
  });

  it('replication lag: web-03 locks while its key is only on kms-a; unlocking early is named; after the lag it starts', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vm.encrypt', vmId: 'web-03' });
    expect(t.check('replication-lag')).toMatchObject({ status: 'notYet', missing: 'Take kms-a down before the key reaches kms-b.' });
    await t.must({ type: 'kms.down', kmsId: 'kms-a' });
    expect(t.check('replication-lag')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Reboot esx-01/) });
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    expect(await t.lab.dispatch({ type: 'vm.powerOn', vmId: 'web-03' })).toMatchObject({ ok: false, reason: expect.stringMatching(/KeyStateMissingInKMS/) });
    expect(t.check('replication-lag')).toEqual({ status: 'done' });
    expect(observe(t, 'replication-lag', 'web-03')).toBe('locked');

    expect(t.check('lag-over')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Fast-forward/) });
    expect((await t.lab.dispatch({ type: 'vm.unlock', vmId: 'web-03' })).ok).toBe(false);
    expect(t.check('lag-over')).toMatchObject({ status: 'misconception', id: 'replication-is-instant' });
    await t.must({ type: 'clock.advance', ms: 3 * 60_000 });
    expect(t.check('lag-over')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/Unlock VM and Power on/) });
    await t.must({ type: 'vm.unlock', vmId: 'web-03' });
    await t.must({ type: 'vm.powerOn', vmId: 'web-03' });
    expect(t.check('lag-over')).toEqual({ status: 'done' });
  });

  it('replication lag: once the lag has passed, the experiment must be run again', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vm.encrypt', vmId: 'web-03' });
    await t.must({ type: 'clock.advance', ms: 3 * 60_000 });
    expect(t.check('replication-lag')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/kms-b already has web-03’s key/) });
  });

  it('node order: with kms-a hung and first, the key waits; with kms-b moved up, it does not', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'kms.hang', kmsId: 'kms-a' });
    await throughWait(t, { type: 'vm.encrypt', vmId: 'web-04' });
    expect(t.check('node-order')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Move kms-b to the top/) });
    await t.must({ type: 'provider.reorderKmsNodes', providerId: 'KMS-Cluster', kmsNodeIds: ['kms-b', 'kms-a'] });
    expect(t.check('node-order')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/before the nodes were reordered/) });
    await t.must({ type: 'vm.rekeyShallow', vmId: 'web-04' });
    expect(t.lab.getView().clock.pendingWaits).toEqual([]);
    expect(t.check('node-order')).toEqual({ status: 'done' });
    expect(observe(t, 'node-order', 'web-04')).toBe('at-once');
    expect(t.check('all-start')).toMatchObject({ status: 'notYet', missing: 'Power on web-01, web-02, web-03 and web-04.' });
  });

  it('can be done end to end with "show me" (fast-forwarding through the hung node), and the guest files read back', async () => {
    const t = await startLessonForTest(lesson);
    const { proof } = await completeWithShowMe(t, {
      meanwhile: { 'node-hung': () => pastTheWait(t) },
      // The replication step ends on web-03's refusal to power on: that refusal is what it shows.
      refusals: { 'replication-lag': /KeyStateMissingInKMS/ },
    });
    expect(proof).toMatchObject({ kind: 'readBack', ok: true });
  });
});
