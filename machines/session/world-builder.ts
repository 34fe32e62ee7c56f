// Builds a new lab's world from a scenario: spawns the actors, writes every VM's files to its datastore, and really
// encrypts the VMs the scenario encrypts (keys created on the KMS, the KEK pushed to the host, the disk sealed).
import type { Scenario } from '@/lib/scenario';
import { createVmFilesMany, type KekRef, type VmFiles } from '../data-plane';
import { putRamKeys } from '../keys/host-keys';
import { installConfigurations } from '../keys/host-config';
import { createKeysOnNode } from '../keys/kms-client';
import { EVENT } from './lab-event-ids';
import type { SpawnRequest } from '../actors/lab.machine';
import type { LabRuntime } from './lab-runtime';
import type { StandardProviderRecord } from '../actors/vcenter.machine';
import { encryptionView } from '../commands/vm-encryption';
import { addVtpmCommand } from '../commands/vm-lifecycle';
import { LabRefusal } from '../commands/lab-refusal';

export interface BuildOptions {
  /** Sectors per extent record of the VMs' disks (the storage default unless given; the bench uses small ones). */
  extentSectors?: number;
}

export async function buildWorld(rt: LabRuntime, scenario: Scenario, options: BuildOptions = {}): Promise<void> {
  const peersOf = new Map<string, string[]>();
  for (const p of scenario.standardProviders) for (const k of p.kmsNodeIds) peersOf.set(k, [...new Set([...(peersOf.get(k) ?? []), ...p.kmsNodeIds.filter((x) => x !== k)])]);
  const encryptedHosts = new Set(scenario.vms.filter((vm) => vm.encryptWith).map((vm) => vm.hostId));

  const requests: SpawnRequest[] = [
    {
      src: 'vcenter',
      input: { id: 'vcenter', name: scenario.vcenter.name, generation: 1, datacenter: scenario.vcenter.datacenter, cluster: scenario.vcenter.cluster, version: scenario.vcenter.version },
    },
    ...scenario.kmsNodes.map((k): SpawnRequest => ({
      src: 'kmsNode',
      input: { id: k.id, name: k.name, address: k.address, port: k.port, peers: peersOf.get(k.id) ?? [], replicationLagMs: k.replicationLagMs, keys: [] },
    })),
    ...scenario.hosts.map((h): SpawnRequest => ({
      src: 'host',
      input: {
        id: h.id,
        name: h.name,
        hasTpm: h.hasTpm,
        connection: 'connected',
        cryptoState: encryptedHosts.has(h.id) ? 'safe' : 'incapable',
        ramKeys: [],
        runningVmIds: [],
      },
    })),
    ...scenario.datastores.map((d): SpawnRequest => ({ src: 'datastore', input: { id: d.id, name: d.name, capacityBytes: d.capacityBytes } })),
  ];
  rt.root.send({ type: 'lab.spawn', requests });
  // ESXi installed on every host: each has its encrypted configuration on its boot device from the start.
  await installConfigurations(rt, scenario.hosts.map((h) => ({ hostId: h.id })));

  const vc = rt.vcenterRef();
  for (const h of scenario.hosts) vc.send({ type: 'inventory.hostAdded', hostId: h.id });
  const providers: StandardProviderRecord[] = scenario.standardProviders.map((p) => ({
    kind: 'standard',
    id: p.name,
    name: p.name,
    kmsNodeIds: p.kmsNodeIds,
    ...(p.serverTimeoutS === undefined ? {} : { serverTimeoutS: p.serverTimeoutS }),
  }));
  for (const p of providers) rt.addProvider(p);
  const def = scenario.standardProviders.find((p) => p.isDefault) ?? (scenario.standardProviders.length === 1 ? scenario.standardProviders[0] : undefined);
  if (def) vc.send({ type: 'provider.defaultSet', providerId: def.name });

  // The starting world was encrypted before the lab began: each key goes straight to a node (faults come after), the
  // VM is born encrypted (its disk sealed from the first write), and the host running it holds its KEK. Each VM still
  // gets its own KEK and DEK; they are only stored together: the keys of each provider in one transaction, the hosts'
  // copies in one more, the VMs' files a batch of VMs per transaction.
  const kekOf = new Map<string, KekRef>();
  for (const provider of providers) {
    const vms = scenario.vms.filter((vm) => vm.encryptWith === provider.id);
    if (vms.length === 0) continue;
    const firstUp = scenario.kmsNodes.find((k) => provider.kmsNodeIds.includes(k.id) && k.status === 'up')?.id ?? provider.kmsNodeIds[0]!;
    const keys = await createKeysOnNode(rt, firstUp, provider.kmsNodeIds, vms.length, { replicated: true });
    vms.forEach((vm, i) => kekOf.set(vm.id, { ...keys[i]!, providerId: provider.id, kdkKeyId: null }));
  }
  vc.send({ type: 'keydb.put', entries: scenario.vms.flatMap((vm) => (kekOf.has(vm.id) ? [{ keyId: kekOf.get(vm.id)!.keyId, providerId: kekOf.get(vm.id)!.providerId, vmId: vm.id }] : [])) });
  await putRamKeys(
    rt,
    scenario.vms.flatMap((vm) => {
      const kek = kekOf.get(vm.id);
      return kek && vm.power === 'on' ? [{ hostId: vm.hostId, keyId: kek.keyId, level: 'KEK' as const, providerId: kek.providerId, key: kek.key }] : [];
    }),
  );
  const files: VmFiles[] = await createVmFilesMany(
    rt.db,
    scenario.vms.map((vm) => ({
      vmId: vm.id,
      name: vm.name,
      datastoreId: vm.datastoreId,
      diskSizeBytes: vm.diskSizeBytes,
      // A vTPM is added below, as the learner would add it: its .nvram needs a key.
      vtpm: false,
      guestFiles: vm.guestFiles,
      encryption: kekOf.get(vm.id),
      extentSectors: options.extentSectors,
    })),
  );
  rt.root.send({
    type: 'lab.spawn',
    requests: scenario.vms.map((vm, i): SpawnRequest => ({
      src: 'vm',
      input: {
        id: vm.id,
        name: vm.name,
        datastoreId: vm.datastoreId,
        folder: files[i]!.folder,
        hostId: vm.hostId,
        registered: true,
        encryption: encryptionView(rt, files[i]!, 'standard'),
        locked: null,
        vtpm: false,
        snapshots: 0,
        diskSizeBytes: vm.diskSizeBytes,
        operation: null,
      },
    })),
  });
  vc.send({ type: 'inventory.vmRegistered', vmIds: scenario.vms.map((vm) => vm.id) });
  // A vTPM is real: its VM home is encrypted under a key of the default provider (or the VM's own), before any fault.
  for (const vm of scenario.vms.filter((v) => v.vtpm)) {
    try {
      await addVtpmCommand(rt, vm.id);
    } catch (error) {
      if (!(error instanceof LabRefusal)) throw error;
      rt.log({ eventTypeId: EVENT.taskFailed, severity: 'warning', user: 'lab', objectId: vm.id, message: `The scenario gives VM ${vm.name} a Virtual TPM, but it could not be added: ${error.reason}` });
    }
  }

  for (const h of scenario.hosts) if (h.power === 'off') rt.hostRef(h.id).send({ type: 'host.poweredOff' });
  for (const vm of scenario.vms) {
    if (vm.power !== 'on') continue;
    rt.vmRef(vm.id).send({ type: 'vm.poweredOn', hostId: vm.hostId });
    rt.hostRef(vm.hostId).send({ type: 'host.vmStarted', vmId: vm.id });
  }
  for (const k of scenario.kmsNodes) {
    if (k.status === 'down') rt.kmsRef(k.id).send({ type: 'kms.wentDown' });
    if (k.status === 'hung') rt.kmsRef(k.id).send({ type: 'kms.hung' });
  }
  const encrypted = scenario.vms.filter((vm) => vm.encryptWith).length;
  rt.log({
    eventTypeId: EVENT.labVcenterDeployed,
    user: 'lab',
    message: `Lab "${scenario.title}" built: ${scenario.hosts.length} host(s), ${scenario.vms.length} VM(s) (${encrypted} encrypted), ${scenario.kmsNodes.length} KMS node(s).`,
  });
}
