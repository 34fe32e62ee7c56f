// Which VMs a provider's keys open: by the KDK's key ID for a Native Key Provider, never by its name alone.
import { describe, expect, it } from 'vitest';
import { namesProviderOnly, usesProviderKeys } from './provider-users';

const nkpVm = (kdkKeyId: string) => ({
  encryption: { providerId: 'NKP-1', providerName: 'NKP-1', providerKind: 'native' as const, keyId: 'kek-1', kdkKeyId, dekFingerprint: 'f' },
  homeEncryption: null,
});
const kmsVm = { encryption: { providerId: 'KMS', providerName: 'KMS', providerKind: 'standard' as const, keyId: 'kek-2', kdkKeyId: null, dekFingerprint: 'f' } };

describe('provider users', () => {
  const nkp = { kind: 'native' as const, id: 'NKP-1', keyId: 'kdk-a' };
  it('an NKP opens the VMs whose files name its KDK, not those naming another KDK under its name', () => {
    expect(usesProviderKeys(nkpVm('kdk-a'), nkp)).toBe(true);
    expect(usesProviderKeys(nkpVm('kdk-b'), nkp)).toBe(false);
    expect(namesProviderOnly(nkpVm('kdk-b'), nkp)).toBe(true);
    expect(namesProviderOnly(nkpVm('kdk-a'), nkp)).toBe(false);
  });
  it('a standard provider opens the VMs with a KMS key of its name; an NKP of that name does not', () => {
    expect(usesProviderKeys(kmsVm, { kind: 'standard', id: 'KMS' })).toBe(true);
    expect(usesProviderKeys(kmsVm, { kind: 'native', id: 'KMS', keyId: 'kdk-a' })).toBe(false);
    expect(usesProviderKeys({ encryption: null, homeEncryption: null }, nkp)).toBe(false);
  });
  it('a vTPM VM (VM home only) counts by its home key', () => {
    const vm = { encryption: null, homeEncryption: { ...nkpVm('kdk-a').encryption } };
    expect(usesProviderKeys(vm, nkp)).toBe(true);
  });
});
