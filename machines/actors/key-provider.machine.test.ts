// The key provider statechart: a Native Key Provider is unusable until backed up; a standard one has no such step.
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { keyProviderMachine, providerOf } from './key-provider.machine';

describe('keyProviderMachine', () => {
  it('takes an NKP from notBackedUp to backedUp, and the lab reads "backed up" from that state', () => {
    const nkp = createActor(keyProviderMachine, {
      input: { kind: 'native', id: 'NKP', name: 'NKP', keyId: 'k', tpmOnly: true, fingerprint: 'f' },
    }).start();
    expect(nkp.getSnapshot().matches({ native: 'notBackedUp' })).toBe(true);
    expect(providerOf(nkp.getSnapshot())).toMatchObject({ kind: 'native', backedUp: false });
    nkp.send({ type: 'provider.backedUp' });
    expect(nkp.getSnapshot().matches({ native: 'backedUp' })).toBe(true);
    expect(providerOf(nkp.getSnapshot())).toMatchObject({ kind: 'native', backedUp: true });
  });

  it('starts an NKP as not backed up, and a standard provider as standard', () => {
    const kms = createActor(keyProviderMachine, { input: { kind: 'standard', id: 'KMS', name: 'KMS', kmsNodeIds: ['a', 'b'] } }).start();
    expect(kms.getSnapshot().value).toBe('standard');
  });
});
