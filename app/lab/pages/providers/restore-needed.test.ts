// The Key Providers page leads with Restore from backup when VMs name a Native Key Provider this vCenter lacks.
import { describe, expect, it } from 'vitest';
import type { LabView } from '@/machines/lab-types';
import { providersToRestore } from './restore-needed';

const vm = (providerName: string, kdkKeyId: string | null, providerKind: 'native' | 'standard' = 'native') =>
  ({ encryption: { providerId: providerName, providerName, providerKind, keyId: 'kek', kdkKeyId, dekFingerprint: 'f' } }) as unknown as LabView['vms'][number];
const vcenter = (keyProviders: unknown[]) => ({ keyProviders }) as unknown as LabView['vcenter'];

describe('which Native Key Providers need restoring', () => {
  it('those the VMs name and the new vCenter lacks, by key ID', () => {
    expect(providersToRestore({ vcenter: vcenter([]), vms: [vm('NKP-1', 'kdk-1'), vm('NKP-1', 'kdk-1'), vm('KMS', null, 'standard')] })).toEqual(['NKP-1']);
  });

  it('none once it is back, none without vCenter, and a new NKP of the same name is not it', () => {
    const restored = { kind: 'native', name: 'NKP-1', keyId: 'kdk-1' };
    expect(providersToRestore({ vcenter: vcenter([restored]), vms: [vm('NKP-1', 'kdk-1')] })).toEqual([]);
    expect(providersToRestore({ vcenter: null, vms: [vm('NKP-1', 'kdk-1')] })).toEqual([]);
    expect(providersToRestore({ vcenter: vcenter([{ ...restored, keyId: 'new-kdk' }]), vms: [vm('NKP-1', 'kdk-1')] })).toEqual(['NKP-1']);
  });
});
