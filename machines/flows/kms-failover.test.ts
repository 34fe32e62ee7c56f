// KMS failover as the 2017 material describes it for vSphere 6.5/6.7 (the flows' vCenter runs 6.7 here): a node that
// is down is skipped at once; a hung node costs exactly 60 s of lab time before the next is tried; with every node down
// the operation fails clearly and nothing is lost. kms-node-selection.test.ts has 8.0's round-robin.
import { afterEach, describe, expect, it } from 'vitest';
import { APP_FILES, closeFlowLabs, expectGuestData, flowScenario, must, openFlowLab as openAnyFlowLab, refused, settle, track, untilPendingWait, vmView } from './flow-support';

const openFlowLab = (label: string) => {
  const s = flowScenario();
  return openAnyFlowLab(label, { ...s, vcenter: { ...s.vcenter, version: '6.7' } });
};

afterEach(closeFlowLabs);

function keysOn(lab: Awaited<ReturnType<typeof openFlowLab>>['lab'], kmsId: string): string[] {
  return lab.getView().kmsNodes.find((k) => k.id === kmsId)!.keys.map((k) => k.keyId);
}

describe('KMS failover', () => {
  it('skips a node that is down at once and creates the key on the next', async () => {
    const { lab, clock } = await openFlowLab('kms-down');
    await must(lab, { type: 'kms.down', kmsId: 'kms-a' });
    const before = clock.now();
    await must(lab, { type: 'vm.encrypt', vmId: 'app-01' });
    expect(clock.now()).toBe(before); // no lab time spent waiting
    const keyId = vmView(lab, 'app-01').encryption!.keyId;
    expect(keysOn(lab, 'kms-b')).toContain(keyId);
    expect(keysOn(lab, 'kms-a')).not.toContain(keyId);
    await must(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    await expectGuestData(lab, 'app-01', APP_FILES);
  });

  it('waits exactly 60 s of lab time on a hung node, then uses the next', async () => {
    const { lab, clock } = await openFlowLab('kms-hung');
    await must(lab, { type: 'kms.hang', kmsId: 'kms-a' });
    const start = clock.now();
    const encrypt = track(lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01' }));
    const wait = await untilPendingWait(lab);
    expect(wait.deadline - start).toBe(60_000);
    expect(wait.label).toMatch(/kms-a/);

    clock.advance(59_999);
    await settle(50);
    expect(encrypt.settled()).toBe(false);
    expect(vmView(lab, 'app-01').encryption).toBeNull();

    clock.advance(1);
    const result = await encrypt.promise;
    expect(result).toMatchObject({ ok: true });
    expect(lab.getView().clock.pendingWaits).toEqual([]);
    const keyId = vmView(lab, 'app-01').encryption!.keyId;
    expect(keysOn(lab, 'kms-b')).toContain(keyId);
    await must(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    await expectGuestData(lab, 'app-01', APP_FILES);
  });

  it('fails clearly when every node is down, and the VM and its data are untouched', async () => {
    const { lab } = await openFlowLab('kms-all-down');
    await must(lab, { type: 'kms.down', kmsId: 'kms-a' });
    await must(lab, { type: 'kms.down', kmsId: 'kms-b' });
    const refusal = await refused(lab, { type: 'vm.encrypt', vmId: 'app-01' });
    expect(refusal.reason).toMatch(/kms-a/);
    expect(refusal.reason).toMatch(/kms-b/);
    expect(vmView(lab, 'app-01').encryption).toBeNull();
    expect(vmView(lab, 'app-01').operation).toBeNull();
    expect(lab.getView().events.some((e) => e.eventTypeId === 'com.vmware.vc.kms.crypto.Unreachable')).toBe(true);

    await must(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    await expectGuestData(lab, 'app-01', APP_FILES);
    // The running encrypted VMs keep their keys in host memory and keep working.
    await expectGuestData(lab, 'db-01');

    await must(lab, { type: 'kms.restore', kmsId: 'kms-b' });
    await must(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    await must(lab, { type: 'vm.encrypt', vmId: 'app-01' });
    await must(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    await expectGuestData(lab, 'app-01', APP_FILES);
  });
});
