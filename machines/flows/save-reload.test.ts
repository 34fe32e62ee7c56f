// The whole lab (actors and stored data) is saved and restored: a lab reloaded mid-scenario carries on, including a
// pending 60-second wait on a hung KMS node, whose deadline survives the reload (XState does not restore `after`).
import { afterEach, describe, expect, it } from 'vitest';
import { APP_FILES, WEB_FILES, closeFlowLabs, expectGuestData, flowScenario, must, openFlowLab, providerOf, reopenFlowLab, settle, setUpNkp, untilPendingWait, vmView } from './flow-support';

afterEach(closeFlowLabs);

describe('save and reload mid-scenario', () => {
  it('keeps the world, the keys and the data across a reload', async () => {
    const first = await openFlowLab('reload-world');
    const nkp = await setUpNkp(first.lab, 'NKP-1', true);
    await must(first.lab, { type: 'vm.rekeyShallow', vmId: 'db-01', providerId: nkp.providerId });
    await must(first.lab, { type: 'guest.writeFile', vmId: 'db-01', name: 'before-reload.txt', text: 'saved ✓' });
    const viewBefore = first.lab.getView();
    await first.lab.save();
    first.lab.dispose();

    const second = await reopenFlowLab(first);
    await second.lab.resumeInterrupted();
    const view = second.lab.getView();
    expect(providerOf(view, 'NKP-1')).toMatchObject({ status: 'active', isDefault: true, keyId: nkp.keyId });
    expect(view.vcenter!.keyDatabase).toEqual(viewBefore.vcenter!.keyDatabase);
    expect(view.vms.map((vm) => [vm.id, vm.power, vm.encryption?.keyId ?? null])).toEqual(
      viewBefore.vms.map((vm) => [vm.id, vm.power, vm.encryption?.keyId ?? null]),
    );
    await expectGuestData(second.lab, 'db-01');
    expect(await second.lab.readGuestFile('db-01', 'before-reload.txt')).toBe('saved ✓');
    await must(second.lab, { type: 'vm.powerOff', vmId: 'db-01' });
    await must(second.lab, { type: 'vm.powerOn', vmId: 'db-01' });
    await expectGuestData(second.lab, 'db-01');
  });

  it('resumes a pending 60 s KMS wait after a reload, with the same deadline', async () => {
    const first = await openFlowLab('reload-wait');
    await must(first.lab, { type: 'kms.hang', kmsId: 'kms-a' });
    void first.lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01' });
    const wait = await untilPendingWait(first.lab);
    first.clock.advance(20_000);
    await settle(20);
    await first.lab.save();
    first.lab.dispose();

    const second = await reopenFlowLab(first);
    await second.lab.resumeInterrupted();
    const restored = await untilPendingWait(second.lab);
    expect(restored.deadline).toBe(wait.deadline);
    expect(vmView(second.lab, 'app-01').encryption).toBeNull();

    second.clock.advance(39_999);
    await settle(50);
    expect(vmView(second.lab, 'app-01').encryption).toBeNull();
    second.clock.advance(1);
    for (let i = 0; i < 300 && !vmView(second.lab, 'app-01').encryption; i++) await settle(10);
    const encryption = vmView(second.lab, 'app-01').encryption;
    expect(encryption).toMatchObject({ providerId: 'KMS-Cluster' });
    expect(second.lab.getView().kmsNodes.find((k) => k.id === 'kms-b')!.keys.map((k) => k.keyId)).toContain(encryption!.keyId);
    expect(second.lab.getView().clock.pendingWaits).toEqual([]);
    await must(second.lab, { type: 'vm.powerOn', vmId: 'app-01' });
    await expectGuestData(second.lab, 'app-01', APP_FILES);
  });

  it('finishes a deep re-key interrupted by a closed tab, with no byte lost', async () => {
    const scenario = flowScenario();
    scenario.vms = scenario.vms!.map((vm) => (vm.id === 'web-01' ? { ...vm, diskSizeBytes: 8 * 1024 * 1024 } : vm));
    const first = await openFlowLab('reload-deep', scenario);
    // A guest file spanning several 1 MiB extents, so the re-key has real data before and after the interruption.
    const big = Array.from({ length: 120_000 }, (_, i) => `${String(i).padStart(6, '0')} order line ✓\n`).join('');
    expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
    await must(first.lab, { type: 'guest.writeFile', vmId: 'web-01', name: 'orders.log', text: big });
    await must(first.lab, { type: 'vm.powerOff', vmId: 'web-01' });
    const before = vmView(first.lab, 'web-01').encryption!;

    let closing: Promise<void> | null = null;
    const unsubscribe = first.lab.subscribe(() => {
      const op = vmView(first.lab, 'web-01').operation;
      if (closing || !op || op.done === 0 || op.done >= op.total) return;
      // The tab closes mid-way: the last save saw the operation running.
      closing = first.lab.save();
      first.lab.dispose();
    });
    const rekey = first.lab.dispatch({ type: 'vm.rekeyDeep', vmId: 'web-01' }).catch((e: unknown) => e);
    for (let i = 0; i < 500 && !closing; i++) await settle(10);
    unsubscribe();
    expect(closing).not.toBeNull();
    await closing;
    await rekey;

    const second = await reopenFlowLab(first);
    const interrupted = vmView(second.lab, 'web-01');
    expect(interrupted.operation).toMatchObject({ kind: 'rekeyDeep', interrupted: true });
    expect(interrupted.encryption!.keyId).toBe(before.keyId);
    await second.lab.resumeInterrupted();
    const after = vmView(second.lab, 'web-01');
    expect(after.operation).toBeNull();
    expect(after.encryption!.keyId).not.toBe(before.keyId);
    expect(after.encryption!.dekFingerprint).not.toBe(before.dekFingerprint);
    await must(second.lab, { type: 'vm.powerOn', vmId: 'web-01' });
    await expectGuestData(second.lab, 'web-01', [...WEB_FILES, { name: 'orders.log', text: big }]);
  });
});
