// The lab a learner gets by default: two TPM hosts and one without, a two-node KMS cluster, three encrypted-or-not VMs.
import { MIB } from '@/lib/units';
import { parseScenario, type Scenario } from './scenario-schema';

export function defaultScenario(): Scenario {
  return parseScenario({
    version: 1,
    title: 'Encryption starter lab',
    description:
      'A small vSphere 8 cluster with a standard key provider (two KMS nodes). Set up the Native Key Provider, migrate the VMs to it, and survive losing vCenter.',
    vcenter: { name: 'vcsa-01.lab.local', datacenter: 'DC-Lab', cluster: 'Cluster-01' },
    kmsNodes: [
      { id: 'kms-a', name: 'kms-a', address: 'kms-a.lab.local', port: 5696 },
      { id: 'kms-b', name: 'kms-b', address: 'kms-b.lab.local', port: 5696 },
    ],
    standardProviders: [{ name: 'KMS-Cluster', kmsNodeIds: ['kms-a', 'kms-b'], isDefault: true }],
    hosts: [
      { id: 'esx-01', name: 'esx-01.lab.local', hasTpm: true },
      { id: 'esx-02', name: 'esx-02.lab.local', hasTpm: true },
      { id: 'esx-03', name: 'esx-03.lab.local', hasTpm: false },
    ],
    datastores: [{ id: 'ds-shared-01', name: 'ds-shared-01', capacityBytes: 512 * MIB }],
    vms: [
      {
        id: 'db-01',
        name: 'db-01',
        datastoreId: 'ds-shared-01',
        hostId: 'esx-01',
        power: 'on',
        diskSizeBytes: 4 * MIB,
        encryptWith: 'KMS-Cluster',
        guestFiles: [{ name: 'customers.csv', text: 'id,name,card\n1,Ada Lovelace,4111-1111-1111-1111\n2,Alan Turing,5500-0000-0000-0004\n' }],
      },
      {
        id: 'web-01',
        name: 'web-01',
        datastoreId: 'ds-shared-01',
        hostId: 'esx-02',
        power: 'on',
        diskSizeBytes: 4 * MIB,
        encryptWith: 'KMS-Cluster',
        guestFiles: [{ name: 'index.html', text: '<h1>Welcome to the lab shop</h1>\n' }],
      },
      {
        id: 'app-01',
        name: 'app-01',
        datastoreId: 'ds-shared-01',
        hostId: 'esx-03',
        power: 'on',
        diskSizeBytes: 4 * MIB,
        encryptWith: null,
        guestFiles: [{ name: 'notes.txt', text: 'Application server. Not encrypted yet.\n' }],
      },
    ],
  });
}
