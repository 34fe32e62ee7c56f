// Every lab command's PowerCLI one-liner does what the command does: the command is dispatched in one lab, the
// one-liner typed into the console of a twin lab, and the two worlds must end up the same.
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from '@/lib/powershell';
import { closeFlowLabs, must, openFlowLab } from '../flows/flow-support';
import type { Lab, LabCommand, LabView } from '../lab-types';
import { asPowerCli, backupAsPowerCli, psArg, restoreAsPowerCli } from './as-powercli';
import { connected, errorsOf } from './test-support';

afterEach(closeFlowLabs);

/** What a learner sees change: power, place, registration, encryption, hosts, providers, the signed-in user. */
function world(view: LabView) {
  return {
    vms: view.vms.map((vm) => ({
      id: vm.id,
      power: vm.power,
      hostId: vm.hostId,
      registered: vm.registered,
      snapshots: vm.snapshots,
      vtpm: vm.vtpm,
      provider: vm.encryption?.providerName ?? null,
      home: vm.homeEncryption?.providerName ?? null,
      locked: !!vm.locked,
    })),
    hosts: view.hosts.map((h) => ({ id: h.id, power: h.power, connection: h.connection, cryptoState: h.cryptoState })),
    providers: view.vcenter?.keyProviders.map((p) => ({ name: p.name, isDefault: p.isDefault })),
    hostIds: view.vcenter?.hostIds,
    user: view.vcenter?.currentUser,
  };
}

const NKP_SETUP = async (lab: Lab) => {
  await must(lab, { type: 'provider.addNative', name: 'NKP-1', tpmOnly: false });
  await lab.exportNkpBackup(lab.getView().vcenter!.keyProviders.find((p) => p.name === 'NKP-1')!.id, 'pw');
};

interface Case {
  command: LabCommand;
  setup?: LabCommand[];
  prepare?: (lab: Lab) => Promise<void>;
}

const CASES: Case[] = [
  { command: { type: 'user.switch', userName: 'vm-operator@vsphere.local' } },
  { command: { type: 'provider.addStandard', name: 'KMS-2', kmsNodeIds: ['kms-a', 'kms-b'] } },
  { command: { type: 'provider.setDefault', providerId: 'NKP-1' }, prepare: NKP_SETUP },
  { command: { type: 'host.reboot', hostId: 'esx-02' } },
  { command: { type: 'host.powerOff', hostId: 'esx-02' } },
  { command: { type: 'host.powerOn', hostId: 'esx-02' }, setup: [{ type: 'host.powerOff', hostId: 'esx-02' }] },
  { command: { type: 'host.disconnect', hostId: 'esx-03' } },
  { command: { type: 'host.connect', hostId: 'esx-03' }, setup: [{ type: 'host.disconnect', hostId: 'esx-03' }] },
  { command: { type: 'host.remove', hostId: 'esx-03' }, setup: [{ type: 'host.disconnect', hostId: 'esx-03' }] },
  { command: { type: 'host.add', hostId: 'esx-03' }, setup: [{ type: 'host.disconnect', hostId: 'esx-03' }, { type: 'host.remove', hostId: 'esx-03' }] },
  { command: { type: 'host.enableEncryptionMode', hostId: 'esx-03' } },
  { command: { type: 'vm.powerOn', vmId: 'app-01' } },
  { command: { type: 'vm.powerOn', vmId: 'app-01', hostId: 'esx-02' } },
  { command: { type: 'vm.powerOff', vmId: 'db-01' } },
  { command: { type: 'vm.migrate', vmId: 'web-01', hostId: 'esx-01' } },
  { command: { type: 'vm.encrypt', vmId: 'app-01', providerId: 'KMS-Cluster' } },
  { command: { type: 'vm.encrypt', vmId: 'app-01' } },
  { command: { type: 'vm.decrypt', vmId: 'db-01' }, setup: [{ type: 'vm.powerOff', vmId: 'db-01' }] },
  { command: { type: 'vm.rekeyShallow', vmId: 'db-01', providerId: 'NKP-1' }, prepare: NKP_SETUP },
  { command: { type: 'vm.rekeyShallow', vmId: 'db-01' } },
  { command: { type: 'vm.rekeyDeep', vmId: 'db-01' }, setup: [{ type: 'vm.powerOff', vmId: 'db-01' }] },
  { command: { type: 'vm.rekeyDeep', vmId: 'db-01', providerId: 'NKP-1' }, setup: [{ type: 'vm.powerOff', vmId: 'db-01' }], prepare: NKP_SETUP },
  { command: { type: 'vm.rekeyShallowMany', vmIds: ['db-01', 'web-01'], providerId: 'NKP-1' }, prepare: NKP_SETUP },
  { command: { type: 'vm.addVtpm', vmId: 'app-01' } },
  { command: { type: 'vm.removeVtpm', vmId: 'app-01' }, setup: [{ type: 'vm.addVtpm', vmId: 'app-01' }] },
  { command: { type: 'vm.takeSnapshot', vmId: 'app-01' } },
  { command: { type: 'vm.deleteSnapshots', vmId: 'app-01' }, setup: [{ type: 'vm.takeSnapshot', vmId: 'app-01' }, { type: 'vm.takeSnapshot', vmId: 'app-01' }] },
  { command: { type: 'vm.unregister', vmId: 'app-01' } },
  { command: { type: 'vm.register', datastoreId: 'ds-1', folder: 'app-01' }, setup: [{ type: 'vm.unregister', vmId: 'app-01' }] },
  { command: { type: 'vm.register', datastoreId: 'ds-1', folder: 'app-01', hostId: 'esx-02' }, setup: [{ type: 'vm.unregister', vmId: 'app-01' }] },
  {
    command: { type: 'vm.unlock', vmId: 'db-01' },
    setup: [{ type: 'host.reboot', hostId: 'esx-01' }, { type: 'kms.down', kmsId: 'kms-a' }, { type: 'kms.down', kmsId: 'kms-b' }],
    prepare: async (lab) => {
      await lab.dispatch({ type: 'vm.powerOn', vmId: 'db-01' }); // refused: no KMS answers, and the VM is locked
      await must(lab, { type: 'kms.restore', kmsId: 'kms-b' });
    },
  },
];

/** The commands PowerCLI has no one-liner for: KMS administration, the lab's own controls, adding an NKP. */
const NO_ONE_LINER: LabCommand[] = [
  { type: 'vcenter.destroy' },
  { type: 'vcenter.deploy' },
  { type: 'vcenter.stop' },
  { type: 'vcenter.start' },
  { type: 'provider.addNative', name: 'NKP-2', tpmOnly: true },
  { type: 'provider.remove', providerId: 'KMS-Cluster' },
  { type: 'provider.reorderKmsNodes', providerId: 'KMS-Cluster', kmsNodeIds: ['kms-b', 'kms-a'] },
  { type: 'kms.down', kmsId: 'kms-a' },
  { type: 'kms.hang', kmsId: 'kms-a' },
  { type: 'kms.restore', kmsId: 'kms-a' },
  { type: 'kms.revokeKey', kmsId: 'kms-a', keyId: 'k' },
  { type: 'kms.destroyKey', kmsId: 'kms-a', keyId: 'k' },
  { type: 'host.clearTpm', hostId: 'esx-01' },
  { type: 'host.disableEncryptionMode', hostId: 'esx-01' },
  { type: 'guest.writeFile', vmId: 'db-01', name: 'a.txt', text: 'a' },
  { type: 'clock.advance', ms: 1000 },
];

describe('asPowerCli', () => {
  it('covers every command type: a one-liner, or none on purpose', () => {
    const types = new Set([...CASES, ...NO_ONE_LINER.map((command) => ({ command }))].map((c) => c.command.type));
    const all: LabCommand['type'][] = [
      'vcenter.destroy', 'vcenter.deploy', 'vcenter.stop', 'vcenter.start', 'user.switch', 'provider.addStandard', 'provider.addNative',
      'provider.setDefault', 'provider.remove', 'provider.reorderKmsNodes', 'kms.down', 'kms.hang', 'kms.restore', 'kms.revokeKey',
      'kms.destroyKey', 'host.reboot', 'host.powerOff', 'host.powerOn', 'host.disconnect', 'host.connect', 'host.remove', 'host.add',
      'host.clearTpm', 'host.enableEncryptionMode', 'host.disableEncryptionMode', 'vm.powerOn', 'vm.powerOff', 'vm.migrate', 'vm.encrypt',
      'vm.decrypt', 'vm.rekeyShallow', 'vm.rekeyDeep', 'vm.rekeyShallowMany', 'vm.addVtpm', 'vm.removeVtpm', 'vm.takeSnapshot',
      'vm.deleteSnapshots', 'vm.register', 'vm.unregister', 'vm.unlock', 'guest.writeFile', 'clock.advance',
    ];
    expect([...types].sort()).toEqual([...all].sort());
  });

  it('gives none for what PowerCLI cannot do', async () => {
    const { lab } = await openFlowLab('as-powercli-none');
    for (const command of NO_ONE_LINER) expect(asPowerCli(command, lab.getView()), command.type).toBeNull();
  });

  it('quotes what PowerShell would not read as one word', () => {
    expect(psArg('db-01')).toBe('db-01');
    expect(psArg('administrator@vsphere.local')).toBe("'administrator@vsphere.local'");
    expect(psArg("it's")).toBe("'it''s'");
    expect(psArg('[ds] a/a.vmx')).toBe("'[ds] a/a.vmx'");
    expect(parse(backupAsPowerCli('NKP 1', 'NKP 1.p12')).statements).toHaveLength(1);
    expect(parse(restoreAsPowerCli('NKP-1.p12')).statements).toHaveLength(1);
  });

  for (const c of CASES) {
    const label = `${c.command.type} ${JSON.stringify(c.command).slice(0, 90)}`;
    it(`does what ${label} does`, async () => {
      const name = `as-pcli-${CASES.indexOf(c)}`;
      const a = await openFlowLab(`${name}-a`);
      const b = await openFlowLab(`${name}-b`);
      const console_ = await connected(b.lab);
      for (const lab of [a.lab, b.lab]) {
        for (const s of c.setup ?? []) await must(lab, s);
        await c.prepare?.(lab);
      }
      const oneLiner = asPowerCli(c.command, a.lab.getView());
      expect(oneLiner).not.toBeNull();
      await must(a.lab, c.command);
      const result = await console_.run(oneLiner!);
      expect(errorsOf(result), `${oneLiner}\n${result.text}`).toEqual([]);
      for (const task of console_.session.tasks) await task.done;
      expect(console_.session.tasks.every((t) => t.state !== 'Error'), oneLiner!).toBe(true);
      expect(world(b.lab.getView()), oneLiner!).toEqual(world(a.lab.getView()));
    });
  }
});
