// Builders for the lessons' starting worlds. Every lesson's lab is the same vCenter (vcsa-01 in DC-Lab, Cluster-01),
// one shared datastore, hosts named <id>.lab.local, VMs named by their id and, where a KMS is part of the story, the
// two replicating nodes kms-a and kms-b behind one default standard provider: said once here, so a lesson's scenario
// lists only what is its own (which hosts have a TPM, which VMs run, what their guests hold).
import { MIB } from '@/lib/units';
import { parseScenario, type Scenario, type ScenarioInput, type VsphereVersion } from '@/lib/scenario';

/** The one datastore every lesson's VMs live on. */
export const DATASTORE = 'ds-shared-01';

/** db-01's guest file in the lessons where db-01 holds the shop's customers (card numbers: the data worth encrypting). */
export const CUSTOMERS_CSV = 'id,name,card\n1,Ada Lovelace,4111-1111-1111-1111\n2,Alan Turing,5500-0000-0000-0004\n';

type KmsPart = Pick<ScenarioInput, 'kmsNodes' | 'standardProviders'>;

/** The lesson's world, validated: its hosts, a shared datastore of `datastoreMiB` MiB and its VMs; no KMS unless given. */
export function lessonScenario(world: {
  title: string;
  description: string;
  kms?: KmsPart;
  hosts: ScenarioInput['hosts'];
  datastoreMiB: number;
  vms: ScenarioInput['vms'];
  /** The vSphere release vCenter runs (the scenario's default, a current one, unless given). */
  vsphereVersion?: VsphereVersion;
}): Scenario {
  return parseScenario({
    version: 1,
    title: world.title,
    description: world.description,
    vcenter: { name: 'vcsa-01.lab.local', datacenter: 'DC-Lab', cluster: 'Cluster-01', ...(world.vsphereVersion ? { version: world.vsphereVersion } : {}) },
    kmsNodes: world.kms?.kmsNodes ?? [],
    standardProviders: world.kms?.standardProviders ?? [],
    hosts: world.hosts,
    datastores: [{ id: DATASTORE, name: DATASTORE, capacityBytes: world.datastoreMiB * MIB }],
    vms: world.vms,
  });
}

/**
 * kms-a and kms-b (in that order), replicating to each other, behind the standard provider `name`, the default;
 * `serverTimeoutS` is vCenter's per-server I/O timeout for them (vSphere 7.0 and later).
 */
export function kmsCluster(name: string, nodes: { replicationLagMs?: number; serverTimeoutS?: number } = {}): KmsPart {
  const ids = ['kms-a', 'kms-b'];
  const { serverTimeoutS, ...node } = nodes;
  return {
    kmsNodes: ids.map((id) => ({ id, name: id, address: `${id}.lab.local`, ...node })),
    standardProviders: [{ name, kmsNodeIds: ids, isDefault: true, ...(serverTimeoutS ? { serverTimeoutS } : {}) }],
  };
}

/** An ESXi host, <id>.lab.local, with or without TPM 2.0. */
export const esxHost = (id: string, hasTpm: boolean) => ({ id, name: `${id}.lab.local`, hasTpm });

/**
 * A VM on the shared datastore, named by its id; `files` are its guest files (name → text), in order. Off and not
 * encrypted unless said; `encryptWith` names a standard provider of the scenario.
 */
export function lessonVm(
  id: string,
  hostId: string,
  vm: { power?: 'on' | 'off'; diskMiB: number; encryptWith?: string; files: Record<string, string> },
): ScenarioInput['vms'][number] {
  return {
    id,
    name: id,
    datastoreId: DATASTORE,
    hostId,
    ...(vm.power ? { power: vm.power } : {}),
    diskSizeBytes: vm.diskMiB * MIB,
    ...(vm.encryptWith ? { encryptWith: vm.encryptWith } : {}),
    guestFiles: Object.entries(vm.files).map(([name, text]) => ({ name, text })),
  };
}
