// Reordering a standard provider's KMS nodes: the view shows the new order; on vSphere 6.7 the next key request goes to
// the new first node (no 60 s wait on a hung node that was first), on 8.0 the message says the order gives no
// priority; wrong requests are refused with what to do instead.
import { describe, expect, it } from 'vitest';
import { defaultScenario, parseScenario } from '@/lib/scenario';
import { ok, openTestLab } from '../session/lab-test-support';

const at67 = () => {
  const s = defaultScenario();
  return parseScenario({ ...s, vcenter: { ...s.vcenter, version: '6.7' } });
};

const providerOf = (view: ReturnType<import('../lab-types').Lab['getView']>) => view.vcenter!.keyProviders.find((p) => p.id === 'KMS-Cluster')!;

describe('provider.reorderKmsNodes', () => {
  it('on 8.0 says that the order gives no priority (round-robin)', async () => {
    const { lab } = await openTestLab({ labId: 'order-80' });
    const message = await ok(lab, { type: 'provider.reorderKmsNodes', providerId: 'KMS-Cluster', kmsNodeIds: ['kms-b', 'kms-a'] });
    expect(message).toMatch(/round-robin/);
    lab.dispose();
  });

  it('puts kms-b first on 6.7, so with kms-a hung a new key comes from kms-b without a wait', async () => {
    const { lab } = await openTestLab({ labId: 'order-1', scenario: at67() });
    await ok(lab, { type: 'kms.hang', kmsId: 'kms-a' });
    const message = await ok(lab, { type: 'provider.reorderKmsNodes', providerId: 'KMS-Cluster', kmsNodeIds: ['kms-b', 'kms-a'] });
    expect(message).toMatch(/vCenter asks kms-b first/);
    const view = lab.getView();
    const provider = providerOf(view);
    expect(provider.kind === 'standard' && provider.kmsNodeIds).toEqual(['kms-b', 'kms-a']);
    expect(view.events.at(-1)).toMatchObject({ eventTypeId: 'com.vmware.vc.crypto.Operation', operation: 'ReorderKmsServers', objectId: 'KMS-Cluster' });

    // The encrypt completes without the clock moving: no 60-second wait on kms-a.
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    await ok(lab, { type: 'vm.encrypt', vmId: 'app-01' });
    expect(lab.getView().clock.pendingWaits).toEqual([]);
    expect(lab.getView().events.some((e) => e.eventTypeId === 'keylab.kms.Wait')).toBe(false);
    lab.dispose();
  });

  it('refuses an order that drops or adds a node, and a Native Key Provider, saying what to do instead', async () => {
    const { lab } = await openTestLab({ labId: 'order-2' });
    const dropped = await lab.dispatch({ type: 'provider.reorderKmsNodes', providerId: 'KMS-Cluster', kmsNodeIds: ['kms-b'] });
    expect(dropped).toMatchObject({ ok: false, code: 'NO_SUCH_KMS', reason: expect.stringMatching(/exactly once \(kms-a, kms-b\)\. To add or drop a node, add the key provider again/) });
    await ok(lab, { type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    const native = await lab.dispatch({ type: 'provider.reorderKmsNodes', providerId: 'NKP-1', kmsNodeIds: [] });
    expect(native).toMatchObject({ ok: false, code: 'NO_KMS', reason: expect.stringMatching(/Native Key Provider: it has no KMS nodes/) });
    const provider = providerOf(lab.getView());
    expect(provider.kind === 'standard' && provider.kmsNodeIds).toEqual(['kms-a', 'kms-b']);
    lab.dispose();
  });
});
