// The locked VM's advice tells a destroyed key (gone) from a revoked one (reactivate) and from one still on a node that
// is down (bring it back), though the first and the last lock with the same reason.
import { afterEach, describe, expect, it } from 'vitest';
import { closeFlowLabs, must, openFlowLab, refused, vmView } from '../flows/flow-support';
import type { Lab, LabCommand } from '../lab-types';
import { lockAdvice } from './lock-advice';

afterEach(closeFlowLabs);

/** app-01 encrypted on kms-a, then `act` (commands taking its key ID), esx-01 rebooted, a power-on refused. */
async function adviceAfter(label: string, act: (keyId: string) => LabCommand[], replicate = true) {
  const { lab, clock } = await openFlowLab(label);
  await must(lab, { type: 'vm.encrypt', vmId: 'app-01' });
  if (replicate) clock.advance(60_000);
  for (const command of act(vmView(lab, 'app-01').encryption!.keyId)) await must(lab, command);
  await must(lab, { type: 'host.reboot', hostId: 'esx-01' });
  await refused(lab, { type: 'vm.powerOn', vmId: 'app-01' });
  return { lab, advice: lockAdvice(lab.getView(), vmView(lab, 'app-01'))! };
}

const reason = (lab: Lab) => vmView(lab, 'app-01').locked?.reason;

describe('lockAdvice', () => {
  it('destroyed: gone for good, only a KMS backup helps', async () => {
    const { lab, advice } = await adviceAfter('advice-destroyed', (keyId) => [{ type: 'kms.destroyKey', kmsId: 'kms-a', keyId }]);
    expect(reason(lab)).toBe('KeyStateMissingInKMS');
    expect(advice.fate).toBe('destroyed');
    expect(advice.text).toMatch(/gone for good/);
    expect(advice.text).toMatch(/backup of the KMS/);
    expect(advice.text).not.toMatch(/Unlock VM/);
  });

  it('revoked: ask the KMS administrator to reactivate, then unlock', async () => {
    const { lab, advice } = await adviceAfter('advice-revoked', (keyId) => [{ type: 'kms.revokeKey', kmsId: 'kms-a', keyId }]);
    expect(reason(lab)).toBe('KeyStateNotActiveOrEnabled');
    expect(advice.fate).toBe('revoked');
    expect(advice.text).toMatch(/reactivate/);
  });

  it('waiting on a node that is down: bring it back (waiting does not help)', async () => {
    const { lab, advice } = await adviceAfter('advice-waiting', () => [{ type: 'kms.down', kmsId: 'kms-a' }], false);
    expect(reason(lab)).toBe('KeyStateMissingInKMS');
    expect(advice.fate).toBe('awaitingSender');
    expect(advice.text).toMatch(/Bring kms-a back/);
  });

  it('only on a node lost for good: gone', async () => {
    const { advice } = await adviceAfter('advice-lost', () => [{ type: 'kms.lose', kmsId: 'kms-a' }], false);
    expect(advice.fate).toBe('lostWithNode');
    expect(advice.text).toMatch(/lost for good/);
  });
});
