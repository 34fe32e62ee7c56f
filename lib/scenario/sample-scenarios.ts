// Scenarios the tests share: a doomsday-style start (an NKP backed up and handed out, VMs encrypted with it, vCenter
// destroyed) and a classroom-sized one (10 hosts, 50 VMs, a five-step lesson) for the link-length figure.
import { MIB } from '@/lib/units';
import type { ScenarioV2Input } from './scenario-v2';

const vcenter = { name: 'vcsa-01.lab.local', datacenter: 'DC-Lab', cluster: 'Cluster-01' };
const kms = (id: string) => ({ id, name: id, address: `${id}.lab.local` });

/** NKP-Prod backed up (the .p12 handed to the learner), db-01 and web-01 encrypted with it and running, vCenter lost. */
export function doomsdayInput(): ScenarioV2Input {
  return {
    version: 2,
    title: 'vCenter is gone',
    briefing: 'vcsa-01.lab.local was lost last night. db-01 and web-01 are encrypted with NKP-Prod and still run on esx-01 and esx-02. You have last week’s backup of NKP-Prod.',
    lessonId: 'doomsday-a',
    seed: 'doomsday-1',
    world: {
      vcenter,
      kmsNodes: [],
      standardProviders: [],
      hosts: [
        { id: 'esx-01', name: 'esx-01.lab.local', hasTpm: true },
        { id: 'esx-02', name: 'esx-02.lab.local', hasTpm: true },
      ],
      datastores: [{ id: 'ds-shared-01', name: 'ds-shared-01', capacityBytes: 64 * MIB }],
      vms: [
        { id: 'db-01', name: 'db-01', datastoreId: 'ds-shared-01', hostId: 'esx-01', diskSizeBytes: MIB, guestFiles: [{ name: 'customers.csv', text: 'id,name,card\n1,{{name}},{{card}}\n' }] },
        { id: 'web-01', name: 'web-01', datastoreId: 'ds-shared-01', hostId: 'esx-02', diskSizeBytes: MIB, guestFiles: [{ name: 'index.html', text: '<h1>{{word}} shop</h1>\n' }] },
      ],
    },
    prelude: [
      { kind: 'command', command: { type: 'provider.addNative', name: 'NKP-Prod', tpmOnly: true } },
      { kind: 'backupNkp', providerName: 'NKP-Prod', password: 'Last-week-2024!', handout: true },
      { kind: 'command', command: { type: 'provider.setDefault', providerId: 'NKP-Prod' } },
      { kind: 'command', command: { type: 'vm.encrypt', vmId: 'db-01' } },
      { kind: 'command', command: { type: 'vm.encrypt', vmId: 'web-01' } },
      { kind: 'command', command: { type: 'vm.powerOn', vmId: 'db-01' } },
      { kind: 'command', command: { type: 'vm.powerOn', vmId: 'web-01' } },
      { kind: 'command', command: { type: 'vcenter.destroy' } },
    ],
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
const ROLES = ['db', 'web', 'app', 'file', 'mail'];

/** 10 hosts (esx-10 without a TPM), two KMS nodes, 50 VMs (half encrypted, each with a guest file), five lesson steps. */
export function classroomInput(): ScenarioV2Input {
  const hosts = Array.from({ length: 10 }, (_, i) => ({ id: `esx-${pad(i + 1)}`, name: `esx-${pad(i + 1)}.lab.local`, hasTpm: i !== 9 }));
  const vms = Array.from({ length: 50 }, (_, i) => {
    const id = `${ROLES[i % 5]}-${pad(Math.floor(i / 5) + 1)}`;
    return {
      id,
      name: id,
      datastoreId: 'ds-shared-01',
      hostId: hosts[i % 10]!.id,
      power: i % 3 === 0 ? ('off' as const) : ('on' as const),
      diskSizeBytes: MIB,
      ...(i % 2 === 0 ? { encryptWith: 'KMS-Cluster' } : {}),
      guestFiles: [{ name: 'owner.txt', text: `Owner: {{name}}\nCost centre: {{number}}\n` }],
    };
  });
  const step = (id: string, title: string, instructions: string, check: unknown) => ({
    id,
    title,
    instructions,
    hints: [`Open ${title.split(' ').at(-1)} in the inventory.`],
    check: check as never,
  });
  return {
    version: 2,
    title: 'Migrate the class cluster to NKP',
    briefing: 'Fifty VMs on ten hosts use the KMS cluster; kms-b is failing. Add a Native Key Provider, back it up, make it the default and move every encrypted VM to it without downtime.',
    seed: 'class-2026',
    variation: { names: true, tpmlessHost: { among: hosts.map((h) => h.id) }, failingKmsNode: { among: ['kms-a', 'kms-b'], fault: 'hung' }, guestData: true },
    steps: [
      step('add-nkp', 'Add a Native Key Provider', 'In Key Providers choose Add Native Key Provider…, name it NKP-1.', { kind: 'providerExists', provider: 'NKP-1', providerKind: 'native' }),
      step('back-up', 'Back up NKP-1', 'Choose Back up… and keep the .p12 and its password.', { kind: 'providerBackedUp', provider: 'NKP-1' }),
      step('default', 'Make NKP-1 the default', 'Choose Set as default.', { kind: 'providerDefault', provider: 'NKP-1' }),
      step('rekey', 'Shallow re-key every VM', 'Move the encrypted VMs to NKP-1 with a shallow re-key; leave them running.', { kind: 'allVmsEncryptedWith', provider: 'NKP-1' }),
      step('prove', 'Reboot esx-01', 'Reboot esx-01 and power its VMs on again.', { kind: 'all', of: [{ kind: 'vmPoweredOn', vm: 'db-01' }, { kind: 'guestFileReadsBack', vm: 'db-01', file: 'owner.txt' }] }),
    ],
    world: {
      vcenter,
      kmsNodes: [kms('kms-a'), kms('kms-b')],
      standardProviders: [{ name: 'KMS-Cluster', kmsNodeIds: ['kms-a', 'kms-b'], isDefault: true }],
      hosts,
      datastores: [{ id: 'ds-shared-01', name: 'ds-shared-01', capacityBytes: 256 * MIB }],
      vms,
    },
    prelude: [],
  };
}
