// The NKP backup lost, or its password forgotten: once vCenter and the hosts' keys are gone, the VMs' data cannot be
// recovered, and the lab says so plainly (locked VM, refused reads, no plaintext in the sector view), never garbage.
import { afterEach, describe, expect, it } from 'vitest';
import { closeFlowLabs, must, openFlowLab, openNkpFlowLab, refused, setUpNkp, vmView } from './flow-support';

afterEach(closeFlowLabs);

async function loseEverything(label: string) {
  const flow = await openNkpFlowLab(label);
  const { lab } = flow;
  await must(lab, { type: 'vm.powerOff', vmId: 'db-01' });
  await must(lab, { type: 'vcenter.destroy' });
  // The hosts' copies are gone too: a replaced board cleared the TPM, no recovery key was kept, ESXi was reinstalled.
  await must(lab, { type: 'host.clearTpm', hostId: 'esx-01' });
  await must(lab, { type: 'host.reinstall', hostId: 'esx-01' });
  await must(lab, { type: 'vcenter.deploy' });
  return flow;
}

describe('NKP backup lost', () => {
  it('refuses a wrong password, and the VM stays locked with a clear reason', async () => {
    const { lab, nkp } = await loseEverything('lost-password');
    const wrong = await lab.restoreNkpFromBackup(nkp.p12, 'not the password');
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(wrong.reason).toMatch(/password/i);
    expect(lab.getView().vcenter!.keyProviders).toEqual([]);

    await must(lab, { type: 'host.add', hostId: 'esx-01' });
    const refusal = await refused(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    expect(refusal.reason).toMatch(/NKP-1|key/);
    await expectUnreadable(lab);
  });

  it('a new NKP under the same name is not the lost one: the data stays unreadable', async () => {
    const { lab } = await loseEverything('lost-backup');
    // The learner creates a fresh NKP named like the old one: a new KDK, which cannot open the old KEKs.
    await setUpNkp(lab, 'NKP-1', true);
    await must(lab, { type: 'host.add', hostId: 'esx-01' });
    const refusal = await refused(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    expect(refusal.reason.length).toBeGreaterThan(20);
    expect(vmView(lab, 'db-01').power).toBe('off');
    await expectUnreadable(lab);
  });
});

async function expectUnreadable(lab: Awaited<ReturnType<typeof openFlowLab>>['lab']) {
  const vm = vmView(lab, 'db-01');
  expect(vm.locked).not.toBeNull();
  expect(vm.locked!.message.length).toBeGreaterThan(20);
  const error = await lab.readGuestFile('db-01', 'customers.csv').then(
    (text) => new Error(`read returned text: ${text.slice(0, 40)}`),
    (e: unknown) => e as Error,
  );
  expect(error.message).not.toMatch(/read returned text/);
  expect(error.message.length).toBeGreaterThan(20);
  const sectors = await lab.readDiskSectors('db-01', 0, 2);
  expect(sectors.encrypted).toBe(true);
  expect(sectors.plaintext).toBeNull();
  expect(sectors.plaintextUnavailableReason).toBeTruthy();
  expect(new TextDecoder().decode(sectors.stored)).not.toContain('Ada Lovelace');
}
