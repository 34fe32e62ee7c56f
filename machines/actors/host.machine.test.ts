// An ESXi host's statechart: RAM is lost on power-off, the TPM is not; only a TPM host can seal.
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { hostMachine } from './host.machine';

const key = { keyId: 'kdk-1', level: 'KDK' as const, providerId: 'NKP', fingerprint: 'abcd' };
const start = (hasTpm: boolean) =>
  createActor(hostMachine, {
    input: { id: 'esx', name: 'esx', hasTpm, connection: 'connected', cryptoState: 'safe', ramKeys: [], tpmSealedKeys: [], runningVmIds: [] },
  }).start();

describe('hostMachine', () => {
  it('forgets RAM keys and running VMs on power-off but keeps TPM-sealed keys', () => {
    const host = start(true);
    host.send({ type: 'host.ramKeyAdded', key });
    host.send({ type: 'host.tpmSealed', key });
    host.send({ type: 'host.vmStarted', vmId: 'vm' });
    host.send({ type: 'host.poweredOff' });
    expect(host.getSnapshot().context).toMatchObject({ ramKeys: [], runningVmIds: [], tpmSealedKeys: [key] });
    host.send({ type: 'host.ramKeyAdded', key });
    expect(host.getSnapshot().context.ramKeys).toEqual([]);
    host.send({ type: 'host.poweredOn' });
    expect(host.getSnapshot().context.boots).toBe(2);
  });

  it('cannot seal without a TPM; clearing the TPM loses its keys', () => {
    const noTpm = start(false);
    noTpm.send({ type: 'host.tpmSealed', key });
    expect(noTpm.getSnapshot().context.tpmSealedKeys).toEqual([]);
    const tpm = start(true);
    tpm.send({ type: 'host.tpmSealed', key });
    tpm.send({ type: 'host.tpmCleared' });
    expect(tpm.getSnapshot().context.tpmSealedKeys).toEqual([]);
  });

  it('settles pendingIncapable to incapable at the next boot', () => {
    const host = start(true);
    host.send({ type: 'host.cryptoStateSet', cryptoState: 'pendingIncapable' });
    host.send({ type: 'host.poweredOff' });
    host.send({ type: 'host.poweredOn' });
    expect(host.getSnapshot().context.cryptoState).toBe('incapable');
  });
});
