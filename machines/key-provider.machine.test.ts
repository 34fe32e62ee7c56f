// The key provider statechart: a Native Key Provider is unusable until backed up; a standard one has no such step.
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { keyProviderMachine } from './key-provider.machine';

describe('keyProviderMachine', () => {
  it('takes an NKP from notBackedUp to backedUp and tracks the hosts holding its KDK', () => {
    const nkp = createActor(keyProviderMachine, {
      input: { kind: 'native', id: 'NKP', name: 'NKP', keyId: 'k', tpmOnly: true, backedUp: false, hostsWithKdk: [], fingerprint: 'f' },
    }).start();
    expect(nkp.getSnapshot().matches({ native: 'notBackedUp' })).toBe(true);
    nkp.send({ type: 'provider.backedUp' });
    expect(nkp.getSnapshot().matches({ native: 'backedUp' })).toBe(true);
    expect(nkp.getSnapshot().context).toMatchObject({ backedUp: true });
    nkp.send({ type: 'provider.hostsWithKdkSet', hostIds: ['esx-01'] });
    expect(nkp.getSnapshot().context).toMatchObject({ hostsWithKdk: ['esx-01'] });
  });

  it('starts a restored (backed-up) NKP as usable, and a standard provider as standard', () => {
    const restored = createActor(keyProviderMachine, {
      input: { kind: 'native', id: 'NKP', name: 'NKP', keyId: 'k', tpmOnly: false, backedUp: true, hostsWithKdk: [], fingerprint: 'f' },
    }).start();
    expect(restored.getSnapshot().matches({ native: 'backedUp' })).toBe(true);
    const kms = createActor(keyProviderMachine, { input: { kind: 'standard', id: 'KMS', name: 'KMS', kmsNodeIds: ['a', 'b'] } }).start();
    expect(kms.getSnapshot().value).toBe('standard');
  });
});
