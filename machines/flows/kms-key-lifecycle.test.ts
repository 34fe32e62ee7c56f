// A KMS key revoked against one destroyed, and a KMS node's replication: what a learner can get back and what is gone.
// Revoked (Deactivated) keeps the material: the VM locks with KeyStateNotActiveOrEnabled and the KMS administrator's
// Reactivate brings it back. Destroyed is final (KeyStateMissingInKMS, Reactivate refused). A node sends its keys to its
// peers only while it is up; lost for good, it takes the keys it had not sent with it.
import { afterEach, describe, expect, it } from 'vitest';
import { APP_FILES, closeFlowLabs, expectGuestData, must, openFlowLab, refused, reopenFlowLab, vmView, type FlowLab } from './flow-support';

afterEach(closeFlowLabs);

const keysOn = (lab: FlowLab['lab'], kmsId: string) => lab.getView().kmsNodes.find((k) => k.id === kmsId)!.keys.map((k) => k.keyId);
const node = (lab: FlowLab['lab'], kmsId: string) => lab.getView().kmsNodes.find((k) => k.id === kmsId)!;

/** app-01 encrypted on kms-a (the first node), its host rebooted so the next power-on must fetch the KEK by ID. */
async function encryptedApp(label: string): Promise<FlowLab & { keyId: string }> {
  const flow = await openFlowLab(label);
  await must(flow.lab, { type: 'vm.encrypt', vmId: 'app-01' });
  const keyId = vmView(flow.lab, 'app-01').encryption!.keyId;
  expect(keysOn(flow.lab, 'kms-a')).toContain(keyId);
  return { ...flow, keyId };
}

describe('revoked is not destroyed', () => {
  it('a revoked key locks the VM (KeyStateNotActiveOrEnabled) until the KMS administrator reactivates it', async () => {
    const { lab, clock, keyId } = await encryptedApp('revoke');
    clock.advance(60_000); // replicated to kms-b
    await must(lab, { type: 'kms.revokeKey', kmsId: 'kms-a', keyId });
    expect(node(lab, 'kms-b').keys.find((k) => k.keyId === keyId)?.state).toBe('Deactivated');
    await must(lab, { type: 'host.reboot', hostId: 'esx-01' });
    await refused(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    expect(vmView(lab, 'app-01').locked?.reason).toBe('KeyStateNotActiveOrEnabled');
    expect(vmView(lab, 'app-01').locked?.message).toMatch(/reactivate/i);

    await must(lab, { type: 'kms.reactivateKey', kmsId: 'kms-b', keyId });
    expect(node(lab, 'kms-a').keys.find((k) => k.keyId === keyId)?.state).toBe('Active');
    await must(lab, { type: 'vm.unlock', vmId: 'app-01' });
    await must(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    await expectGuestData(lab, 'app-01', APP_FILES);
  });

  it('a destroyed key cannot be reactivated, and the VM stays locked with KeyStateMissingInKMS', async () => {
    const { lab, clock, keyId } = await encryptedApp('destroy');
    clock.advance(60_000);
    await must(lab, { type: 'kms.destroyKey', kmsId: 'kms-a', keyId });
    const refusal = await refused(lab, { type: 'kms.reactivateKey', kmsId: 'kms-a', keyId });
    expect(refusal.code).toBe('KMS_KEY_STATE');
    expect(refusal.reason).toMatch(/destroyed/);
    await must(lab, { type: 'host.reboot', hostId: 'esx-01' });
    await refused(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    expect(vmView(lab, 'app-01').locked?.reason).toBe('KeyStateMissingInKMS');
    expect(vmView(lab, 'app-01').locked?.message).toMatch(/destroyed/);
    await refused(lab, { type: 'vm.unlock', vmId: 'app-01' });
    expect(await lab.readGuestFile('app-01', 'notes.txt').catch((e: Error) => e.message)).not.toBe(APP_FILES[0]!.text);
  });

  it('revoke needs an Active key and reactivate a revoked one', async () => {
    const { lab, keyId } = await encryptedApp('states');
    expect((await refused(lab, { type: 'kms.reactivateKey', kmsId: 'kms-a', keyId })).code).toBe('KMS_KEY_STATE');
    await must(lab, { type: 'kms.revokeKey', kmsId: 'kms-a', keyId });
    expect((await refused(lab, { type: 'kms.revokeKey', kmsId: 'kms-a', keyId })).code).toBe('KMS_KEY_STATE');
  });
});

describe('replication only while the sender is up', () => {
  it('a key created on a node that goes down before replicating is not on its peer, however long one waits', async () => {
    const { lab, clock, keyId } = await encryptedApp('repl-down');
    await must(lab, { type: 'kms.down', kmsId: 'kms-a' });
    clock.advance(3_600_000);
    expect(keysOn(lab, 'kms-b')).not.toContain(keyId);
    expect(node(lab, 'kms-b').replicationInFlight).toEqual([{ keyId, from: 'kms-a', arrivesAt: null }]);
    await must(lab, { type: 'host.reboot', hostId: 'esx-01' });
    await refused(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    expect(vmView(lab, 'app-01').locked?.reason).toBe('KeyStateMissingInKMS');

    // Back up, kms-a serves the key itself and goes on sending it: kms-b has it once the rest of the lag has run.
    await must(lab, { type: 'kms.restore', kmsId: 'kms-a' });
    const lag = node(lab, 'kms-a').replicationLagMs;
    expect(node(lab, 'kms-b').replicationInFlight[0]?.arrivesAt).toBe(clock.now() + lag);
    clock.advance(lag);
    expect(keysOn(lab, 'kms-b')).toContain(keyId);
    await must(lab, { type: 'kms.down', kmsId: 'kms-a' });
    await must(lab, { type: 'vm.unlock', vmId: 'app-01' });
    await must(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    await expectGuestData(lab, 'app-01', APP_FILES);
  });

  it('a hung sender sends nothing either; the lag it had left runs once it is up', async () => {
    const { lab, clock, keyId } = await encryptedApp('repl-hung');
    const lag = node(lab, 'kms-a').replicationLagMs;
    clock.advance(lag / 2);
    await must(lab, { type: 'kms.hang', kmsId: 'kms-a' });
    clock.advance(lag * 10);
    expect(keysOn(lab, 'kms-b')).not.toContain(keyId);
    await must(lab, { type: 'kms.restore', kmsId: 'kms-a' });
    clock.advance(lag / 2 - 1);
    expect(keysOn(lab, 'kms-b')).not.toContain(keyId);
    clock.advance(1);
    expect(keysOn(lab, 'kms-b')).toContain(keyId);
  });

  it('a node lost for good takes its newest keys with it: their VMs are unrecoverable after a host reboot', async () => {
    const { lab, clock, keyId } = await encryptedApp('lost');
    const oldKey = vmView(lab, 'db-01').encryption!.keyId; // the starting world's: on both nodes
    await must(lab, { type: 'kms.lose', kmsId: 'kms-a' });
    expect(node(lab, 'kms-a').status).toBe('lost');
    expect(node(lab, 'kms-a').keys).toEqual([]);
    expect(node(lab, 'kms-b').pendingReplication).toEqual([]);
    clock.advance(3_600_000);
    expect(keysOn(lab, 'kms-b')).not.toContain(keyId);
    expect(keysOn(lab, 'kms-b')).toContain(oldKey);
    expect((await refused(lab, { type: 'kms.restore', kmsId: 'kms-a' })).code).toBe('KMS_LOST');

    await must(lab, { type: 'host.reboot', hostId: 'esx-01' });
    await must(lab, { type: 'vm.powerOn', vmId: 'db-01' }); // its key had reached kms-b long ago
    await refused(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    expect(vmView(lab, 'app-01').locked?.reason).toBe('KeyStateMissingInKMS');
    await refused(lab, { type: 'vm.unlock', vmId: 'app-01' });
    expect(lab.getView().keyMap.find((k) => k.keyId === keyId)?.places.some((p) => p.kind === 'kms')).toBe(false);
  });

  it('a paused copy and a lost node are still so after a reload', async () => {
    const flow = await encryptedApp('repl-reload');
    await must(flow.lab, { type: 'kms.down', kmsId: 'kms-a' });
    await flow.lab.save();
    flow.lab.dispose();
    const again = await reopenFlowLab(flow);
    again.clock.advance(3_600_000);
    expect(keysOn(again.lab, 'kms-b')).not.toContain(flow.keyId);
    await must(again.lab, { type: 'kms.lose', kmsId: 'kms-a' });
    await again.lab.save();
    again.lab.dispose();
    const third = await reopenFlowLab(again);
    expect(node(third.lab, 'kms-a').status).toBe('lost');
    expect(keysOn(third.lab, 'kms-b')).not.toContain(flow.keyId);
    expect(node(third.lab, 'kms-b').pendingReplication).toEqual([]);
  });
});
