// A new KEK for a VM from a key provider, as vCenter provides it: Create on the KMS (standard: vCenter keeps the ID and
// pushes the key to the host) or a KEK produced under the NKP's KDK (a copy wrapped by the KDK goes into the VM files).
import { keyFingerprint, newKeyId } from '@/lib/crypto/keys';
import { createKekUnderKdk, toBase64 } from '@/lib/crypto/wrap';
import type { KekRef } from './data-plane';
import { kdkRefusal, pushKdkToHost, putRamKey, TPM_REQUIRED } from './host-keys';
import { kmsCreate } from './kms-client';
import { refuse } from './lab-refusal';
import type { LabRuntime } from './lab-runtime';
import type { ProviderRecord } from './vcenter.machine';

export interface ProvisionedKek extends KekRef {
  providerKind: 'standard' | 'native';
  providerName: string;
  fingerprint: string;
}

/** The provider named, or vCenter's default; refused with vSphere's reasons when there is none or it cannot serve. */
export function resolveProvider(rt: LabRuntime, providerId: string | undefined, forWhat: string): ProviderRecord {
  const vc = rt.requireVcenter();
  const id = providerId ?? vc.defaultProviderId;
  if (!id) {
    refuse(
      'NO_DEFAULT_PROVIDER',
      `Cannot ${forWhat}: no default key provider is set in vCenter ${vc.name}. Add a key provider and set it as the default (Configure > Security > Key Providers).`,
    );
  }
  const provider = rt.provider(id);
  if (!provider) refuse('NO_SUCH_PROVIDER', `Key provider ${id} is not configured in vCenter ${vc.name}.`);
  if (provider.kind === 'native' && !provider.backedUp) refuse('NKP_NOT_BACKED_UP', `Key provider ${provider.name} requires backup.`);
  return provider;
}

export async function provisionKek(rt: LabRuntime, provider: ProviderRecord, hostId: string, vmId: string): Promise<ProvisionedKek> {
  const host = rt.host(hostId);
  if (host.power !== 'on') refuse('HOST_OFF', `Host ${host.name} is powered off.`);
  if (host.connection !== 'connected') refuse('HOST_NOT_CONNECTED', `Host ${host.name} is not connected to vCenter.`);

  if (provider.kind === 'standard') {
    const { keyId, key } = await kmsCreate(rt, provider);
    const record = await putRamKey(rt, hostId, { keyId, level: 'KEK', providerId: provider.id, key });
    rt.vcenterRef().send({ type: 'keydb.put', entries: [{ keyId, providerId: provider.id, vmId }] });
    return { key, keyId, providerId: provider.id, wrappedByKdk: null, providerKind: 'standard', providerName: provider.name, fingerprint: record.fingerprint };
  }

  const problem = kdkRefusal(rt, provider, hostId);
  if (problem) refuse(problem.startsWith(TPM_REQUIRED) ? 'TPM_REQUIRED' : 'NKP_UNAVAILABLE', problem);
  const kdk = await pushKdkToHost(rt, provider, hostId);
  const { kek, wrapped } = await createKekUnderKdk(kdk);
  const keyId = newKeyId();
  await putRamKey(rt, hostId, { keyId, level: 'KEK', providerId: provider.id, key: kek });
  rt.vcenterRef().send({ type: 'keydb.put', entries: [{ keyId, providerId: provider.id, vmId, wrappedKek: toBase64(wrapped) }] });
  return {
    key: kek,
    keyId,
    providerId: provider.id,
    wrappedByKdk: wrapped,
    providerKind: 'native',
    providerName: provider.name,
    fingerprint: await keyFingerprint(kek),
  };
}
