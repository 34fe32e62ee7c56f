// The hung-KMS wait on XState's simulated clock: exactly 60 s, and re-armable after a restore.
import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import { KMS_TIMEOUT_MS, kmsWaitMachine } from './kms-wait.machine';

const input = { id: 'w1', label: 'waiting for kms-a', kmsId: 'kms-a', providerId: 'KMS', deadline: KMS_TIMEOUT_MS, command: null, skipKmsIds: [] };

describe('kmsWaitMachine', () => {
  it('expires after exactly kmsTimeout (60 s) of simulated time', () => {
    const clock = new SimulatedClock();
    const actor = createActor(kmsWaitMachine, { input, clock }).start();
    clock.increment(KMS_TIMEOUT_MS - 1);
    expect(actor.getSnapshot().value).toBe('waiting');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('expired');
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('lasts its own timeoutMs when given (vSphere 7.0 and later: the server’s I/O timeout)', () => {
    const clock = new SimulatedClock();
    const actor = createActor(kmsWaitMachine, { input: { ...input, timeoutMs: 20_000, deadline: 20_000 }, clock }).start();
    clock.increment(19_999);
    expect(actor.getSnapshot().value).toBe('waiting');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('expired');
  });

  it('is not re-armed by XState after a restore (issue 5331), so the lab sends wait.expire itself', () => {
    const clock = new SimulatedClock();
    const first = createActor(kmsWaitMachine, { input, clock }).start();
    clock.increment(10_000);
    const persisted = JSON.parse(JSON.stringify(first.getPersistedSnapshot()));
    first.stop();
    const restored = createActor(kmsWaitMachine, { input, snapshot: persisted, clock }).start();
    expect(restored.getSnapshot().context.deadline).toBe(KMS_TIMEOUT_MS);
    restored.send({ type: 'wait.expired' });
    expect(restored.getSnapshot().value).toBe('expired');
  });
});
