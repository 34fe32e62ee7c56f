// An ESXi host's statechart: RAM is lost on power-off, the encrypted configuration is not; a cleared TPM locks the
// configuration (of a TPM host only) until it is recovered; a reinstall leaves nothing and a new recovery key.
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { hostMachine } from './host.machine';

const key = { keyId: 'kdk-1', level: 'KDK' as const, providerId: 'NKP', fingerprint: 'abcd' };
const start = (hasTpm: boolean) =>
  createActor(hostMachine, {
    input: { id: 'esx', name: 'esx', hasTpm, connection: 'connected', cryptoState: 'safe', ramKeys: [], runningVmIds: [] },
  }).start();

describe('hostMachine', () => {
  it('forgets RAM keys and running VMs on power-off but keeps its configuration, TPM or not', () => {
    for (const hasTpm of [true, false]) {
      const host = start(hasTpm);
      host.send({ type: 'host.ramKeyAdded', key });
      host.send({ type: 'host.configurationWritten', keys: [key], recoveryId: hasTpm ? '{R}' : null });
      host.send({ type: 'host.vmStarted', vmId: 'vm' });
      host.send({ type: 'host.poweredOff' });
      expect(host.getSnapshot().context).toMatchObject({ ramKeys: [], runningVmIds: [], configuration: { keys: [key], protection: hasTpm ? 'tpm' : 'bootDisk' } });
      host.send({ type: 'host.ramKeyAdded', key });
      expect(host.getSnapshot().context.ramKeys).toEqual([]);
      host.send({ type: 'host.poweredOn' });
      expect(host.getSnapshot().context.boots).toBe(2);
    }
  });

  it('a TPM clear locks a TPM host’s configuration until it is recovered; a host without a TPM has none to clear', () => {
    const noTpm = start(false);
    noTpm.send({ type: 'host.tpmCleared' });
    expect(noTpm.getSnapshot().context.configuration.locked).toBe(false);
    const tpm = start(true);
    tpm.send({ type: 'host.configurationWritten', keys: [key], recoveryId: '{R}' });
    tpm.send({ type: 'host.tpmCleared' });
    expect(tpm.getSnapshot().context.configuration).toMatchObject({ locked: true, keys: [key] });
    tpm.send({ type: 'host.configurationRecovered' });
    expect(tpm.getSnapshot().context.configuration.locked).toBe(false);
  });

  it('a reinstall keeps nothing: no keys, no encryption mode, a new recovery ID, and the host running', () => {
    const host = start(true);
    host.send({ type: 'host.configurationWritten', keys: [key], recoveryId: '{OLD}' });
    host.send({ type: 'host.recoveryKeyKept', recoveryId: '{OLD}' });
    host.send({ type: 'host.ramKeyAdded', key });
    host.send({ type: 'host.tpmCleared' });
    host.send({ type: 'host.poweredOff' });
    host.send({ type: 'host.reinstalled', recoveryId: '{NEW}' });
    const snap = host.getSnapshot();
    expect(snap.value).toBe('on');
    expect(snap.context).toMatchObject({ ramKeys: [], cryptoState: 'incapable', configuration: { keys: [], locked: false, recoveryId: '{NEW}', keptRecoveryId: '{OLD}' } });
  });

  it('settles pendingIncapable to incapable at the next boot', () => {
    const host = start(true);
    host.send({ type: 'host.cryptoStateSet', cryptoState: 'pendingIncapable' });
    host.send({ type: 'host.poweredOff' });
    host.send({ type: 'host.poweredOn' });
    expect(host.getSnapshot().context.cryptoState).toBe('incapable');
  });
});
