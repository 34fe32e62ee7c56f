// Lesson 7 headless: on vSphere 6.7 a key made with kms-a down (at once) or hung (after the fixed 60 s wait), the
// replication that stops while kms-a is down (and the misconception that waiting brings the key to kms-b), kms-a lost
// for good, the node order that removes the wait; on 8.0 the round-robin that makes one of two requests wait the
// servers' 30 s I/O timeout; and the lesson done by "show me" with the guest files read back.
import { afterEach, describe, expect, it } from 'vitest';
import { closeLessonLabs, completeWithShowMe, settle, startLessonForTest, type LessonTestLab } from '@/machines/lessons/test-support';
import { lesson } from './kms-availability.lesson';

afterEach(closeLessonLabs);

const observe = (t: LessonTestLab, stepId: string, vmId: string) => t.observe(stepId, vmId).choice;

/** Once vCenter is waiting on the hung node, moves lab time past its wait (60 s on 6.7, 30 s on 8.0 here). */
async function pastTheWait(t: LessonTestLab) {
  for (let i = 0; i < 50 && t.lab.getView().clock.pendingWaits.length === 0; i++) await settle(5);
  const wait = t.lab.getView().clock.pendingWaits;
  expect(wait).toHaveLength(1);
  await t.must({ type: 'clock.advance', ms: wait[0]!.deadline - t.lab.getView().clock.now });
}

/** Runs a command; if it waits on the hung node, lab time is moved past the wait. Whether it waited. */
async function maybeThroughWait(t: LessonTestLab, command: Parameters<LessonTestLab['must']>[0]): Promise<boolean> {
  const pending = t.lab.dispatch(command);
  let waited = false;
  for (let i = 0; i < 40; i++) {
    await settle(5);
    const wait = t.lab.getView().clock.pendingWaits[0];
    if (wait) {
      waited = true;
      await t.must({ type: 'clock.advance', ms: wait.deadline - t.lab.getView().clock.now });
      break;
    }
    if ((await Promise.race([pending.then(() => true), settle(0).then(() => false)])) === true) break;
  }
  expect(await pending).toMatchObject({ ok: true });
  return waited;
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

  it('replication lag: web-03 locks while its key is only on kms-a; waiting for kms-b is named; kms-a back, it starts', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vm.encrypt', vmId: 'web-03' });
    expect(t.check('replication-lag')).toMatchObject({ status: 'notYet', missing: 'Take kms-a down before the key reaches kms-b.' });
    await t.must({ type: 'kms.down', kmsId: 'kms-a' });
    expect(t.check('replication-lag')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Reboot esx-01/) });
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    expect(await t.lab.dispatch({ type: 'vm.powerOn', vmId: 'web-03' })).toMatchObject({ ok: false, reason: expect.stringMatching(/KeyStateMissingInKMS/) });
    expect(t.check('replication-lag')).toEqual({ status: 'done' });
    expect(observe(t, 'replication-lag', 'web-03')).toBe('locked');

    // The misconception: wait for the copy to reach kms-b. A node that is down sends nothing, however long one waits.
    await t.must({ type: 'clock.advance', ms: 30 * 60_000 });
    expect(t.check('lag-over')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/Restore kms-a/) });
    expect((await t.lab.dispatch({ type: 'vm.unlock', vmId: 'web-03' })).ok).toBe(false);
    const named = t.check('lag-over');
    expect(named).toMatchObject({ status: 'misconception', id: 'replication-from-a-down-node' });
    expect(named.status === 'misconception' && named.message).toMatch(/waiting for kms-a/);
    // Recovery: kms-a back, web-03 unlocks and starts.
    await t.must({ type: 'kms.restore', kmsId: 'kms-a' });
    expect(t.check('lag-over')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/Unlock VM and Power on/) });
    await t.must({ type: 'vm.unlock', vmId: 'web-03' });
    await t.must({ type: 'vm.powerOn', vmId: 'web-03' });
    expect(t.check('lag-over')).toEqual({ status: 'done' });
  });

  it('kms-a lost for good with web-03’s key only on it: named, and the lesson says to restart', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vm.encrypt', vmId: 'web-03' });
    await t.must({ type: 'kms.lose', kmsId: 'kms-a' });
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    expect((await t.lab.dispatch({ type: 'vm.powerOn', vmId: 'web-03' })).ok).toBe(false);
    await t.must({ type: 'clock.advance', ms: 60 * 60_000 });
    expect((await t.lab.dispatch({ type: 'vm.unlock', vmId: 'web-03' })).ok).toBe(false);
    for (const step of ['replication-lag', 'lag-over', 'node-order', 'round-robin', 'all-start']) {
      const r = t.check(step);
      expect(r).toMatchObject({ status: 'misconception', id: 'node-lost-for-good' });
      expect(r.status === 'misconception' && r.message).toMatch(/web-03 can never be unlocked/);
    }
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
    expect(t.check('all-start')).toMatchObject({ status: 'notYet', missing: 'Power on web-01, web-02, web-03, web-04, web-05 and web-06.' });
  });

  it('round robin on 8.0: kms-b first no longer keeps the hung kms-a out of turn; one of two requests waits 30 s', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'kms.hang', kmsId: 'kms-a' });
    await t.must({ type: 'provider.reorderKmsNodes', providerId: 'KMS-Cluster', kmsNodeIds: ['kms-b', 'kms-a'] });
    expect(t.check('round-robin')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Upgrade vcsa-01 to vSphere 8\.0/) });
    // Requests made on 6.7 do not count.
    await t.must({ type: 'vm.encrypt', vmId: 'web-05' });
    await t.must({ type: 'vcenter.setVersion', version: '8.0' });
    expect(t.lab.getView().vcenter?.version).toBe('8.0');
    expect(t.check('round-robin')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/give web-05 and web-06 their keys/) });
    const waited = [await maybeThroughWait(t, { type: 'vm.rekeyShallow', vmId: 'web-05' }), await maybeThroughWait(t, { type: 'vm.encrypt', vmId: 'web-06' })];
    expect(waited).toEqual([false, true]);
    expect(t.lab.getView().events.some((e) => e.eventTypeId === 'keylab.kms.Wait' && e.message.includes('waits 30 s'))).toBe(true);
    expect(t.check('round-robin')).toEqual({ status: 'done' });
    expect(t.observe('round-robin', 'requests')).toMatchObject({ choice: 'one', reason: expect.stringMatching(/web-06 waited 30 s/) });
    // The order step is 6.7's subject: on 8.0 it says to go back.
    expect(t.check('node-order')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/set vcsa-01 back to 6\.7/) });
  });

  it('never says "the seeds"', () => {
    expect(JSON.stringify(lesson.steps) + lesson.summary.join(' ')).not.toMatch(/seeds/i);
  });

  it('can be done end to end with "show me" (fast-forwarding through the hung node), and the guest files read back', async () => {
    const t = await startLessonForTest(lesson);
    const { proof } = await completeWithShowMe(t, {
      meanwhile: { 'node-hung': () => pastTheWait(t), 'round-robin': () => pastTheWait(t) },
      // The replication step ends on web-03's refusal to power on: that refusal is what it shows.
      refusals: { 'replication-lag': /KeyStateMissingInKMS/ },
    });
    expect(proof).toMatchObject({ kind: 'readBack', ok: true });
  });
});
