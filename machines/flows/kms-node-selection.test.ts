// How vCenter picks a KMS node, on the lab clock: vSphere 6.7 asks the list from the top and waits a fixed 60 s on a
// hung first node every time; 8.0 takes the nodes in turn, so only the requests whose turn is the hung node wait,
// and they wait the server's I/O timeout; reordering the list changes nothing on 8.0.
import { afterEach, describe, expect, it } from 'vitest';
import { closeFlowLabs, flowScenario, must, openFlowLab, settle, track, vmView, type FlowLab } from './flow-support';
import type { ScenarioInput } from '@/lib/scenario';

afterEach(closeFlowLabs);

function scenario(version: '6.7' | '8.0', serverTimeoutS?: number): ScenarioInput {
  const s = flowScenario();
  return {
    ...s,
    vcenter: { ...s.vcenter, version },
    standardProviders: s.standardProviders!.map((p) => ({ ...p, ...(serverTimeoutS ? { serverTimeoutS } : {}) })),
  };
}

/**
 * One key request (a shallow re-key of app-01, a KMIP Create) with kms-a hung: how long it waited in lab time, and on
 * which node the new key was made. Fast-forwards a pending wait to its deadline.
 */
async function keyRequest({ lab, clock }: FlowLab): Promise<{ waitedMs: number; madeOn: string }> {
  const start = clock.now();
  const run = track(lab.dispatch({ type: 'vm.rekeyShallow', vmId: 'app-01' }));
  for (let i = 0; i < 100 && !run.settled(); i++) {
    await settle(5);
    const wait = lab.getView().clock.pendingWaits[0];
    if (wait) clock.advance(wait.deadline - clock.now());
  }
  const result = await run.promise;
  expect(result).toMatchObject({ ok: true });
  const keyId = vmView(lab, 'app-01').encryption!.keyId;
  const madeOn = lab.getView().kmsNodes.find((n) => n.keys.some((k) => k.keyId === keyId && k.createdAt === clock.now()) && n.status === 'up')!.id;
  return { waitedMs: clock.now() - start, madeOn };
}

async function hungLab(label: string, version: '6.7' | '8.0', serverTimeoutS?: number): Promise<FlowLab> {
  const flow = await openFlowLab(label, scenario(version, serverTimeoutS));
  await must(flow.lab, { type: 'vm.encrypt', vmId: 'app-01' }); // all nodes up: the request that starts the turns
  await must(flow.lab, { type: 'kms.hang', kmsId: 'kms-a' });
  return flow;
}

describe('KMS node selection follows the vSphere version', () => {
  it('6.7: every request starts at kms-a and waits exactly 60 s before kms-b answers', async () => {
    const flow = await hungLab('sel-67', '6.7');
    expect(flow.lab.getView().vcenter?.version).toBe('6.7');
    for (let i = 0; i < 3; i++) expect(await keyRequest(flow)).toEqual({ waitedMs: 60_000, madeOn: 'kms-b' });
  });

  it('6.7: with kms-b moved to the top the wait is gone', async () => {
    const flow = await hungLab('sel-67-order', '6.7');
    await must(flow.lab, { type: 'provider.reorderKmsNodes', providerId: 'KMS-Cluster', kmsNodeIds: ['kms-b', 'kms-a'] });
    expect(await keyRequest(flow)).toEqual({ waitedMs: 0, madeOn: 'kms-b' });
    expect(await keyRequest(flow)).toEqual({ waitedMs: 0, madeOn: 'kms-b' });
  });

  it('8.0: the nodes take turns, so every other request waits the per-server timeout on kms-a', async () => {
    const flow = await hungLab('sel-80', '8.0', 20);
    const p = flow.lab.getView().vcenter!.keyProviders[0]!;
    expect(p.kind === 'standard' && p.nodeSelection).toEqual({ policy: 'roundRobin', hungWaitMs: 20_000, timeoutAssumed: false, nextNodeId: 'kms-b' });
    expect(await keyRequest(flow)).toEqual({ waitedMs: 0, madeOn: 'kms-b' });
    expect(await keyRequest(flow)).toEqual({ waitedMs: 20_000, madeOn: 'kms-b' });
    expect(await keyRequest(flow)).toEqual({ waitedMs: 0, madeOn: 'kms-b' });
    // Reordering gives no priority on 8.0: kms-a still gets its turns.
    await must(flow.lab, { type: 'provider.reorderKmsNodes', providerId: 'KMS-Cluster', kmsNodeIds: ['kms-b', 'kms-a'] });
    const waits = [await keyRequest(flow), await keyRequest(flow)].map((r) => r.waitedMs).sort((a, b) => a - b);
    expect(waits).toEqual([0, 20_000]);
  });

  it('8.0 without a timeout set waits the lab’s assumed 60 s, and the view says it is assumed', async () => {
    const flow = await hungLab('sel-80-default', '8.0');
    const p = flow.lab.getView().vcenter!.keyProviders[0]!;
    expect(p.kind === 'standard' && p.nodeSelection.timeoutAssumed).toBe(true);
    await keyRequest(flow); // kms-b's turn
    expect((await keyRequest(flow)).waitedMs).toBe(60_000);
  });

  it('vcenter.setVersion switches the policy of a running lab', async () => {
    const flow = await hungLab('sel-switch', '6.7', 20);
    expect((await keyRequest(flow)).waitedMs).toBe(60_000);
    await must(flow.lab, { type: 'vcenter.setVersion', version: '8.0' });
    const waits = [await keyRequest(flow), await keyRequest(flow)].map((r) => r.waitedMs).sort((a, b) => a - b);
    expect(waits).toEqual([0, 20_000]);
    expect(flow.lab.getView().events.some((e) => e.message.includes('now runs vSphere 8.0 (was 6.7)'))).toBe(true);
  });
});
