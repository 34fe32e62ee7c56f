// A new KEK for a VM from a key provider, as vCenter provides it: Create on the KMS (standard: vCenter keeps the ID and
// pushes the key to the host) or, for an NKP, a new key ID from which the host derives the KEK with the KDK it holds.
import { deriveKek } from '@/lib/crypto/derive';
import { keyFingerprint } from '@/lib/crypto/keys';
import type { KekRef } from '../data-plane';
import { kdkRefusal, pushKdkToHost, putRamKey, putRamKeys, TPM_REQUIRED } from './host-keys';
import { inBatches } from '../session/in-batches';
import { kmsCreateMany } from './kms-client';
import { LabRefusal, refuse } from '../commands/lab-refusal';
import { backUpFirst, chooseProvider } from '../commands/refusal-advice';
import type { LabRuntime } from '../session/lab-runtime';
import type { NativeProvider, Provider, StandardProviderRecord } from '../actors/vcenter.machine';

export interface ProvisionedKek extends KekRef {
  providerKind: 'standard' | 'native';
  providerName: string;
  fingerprint: string;
}

/** The provider named, or vCenter's default; refused with vSphere's reasons when there is none or it cannot serve. */
export function resolveProvider(rt: LabRuntime, providerId: string | undefined, forWhat: string): Provider {
  const vc = rt.requireVcenter();
  const id = providerId ?? vc.defaultProviderId;
  if (!id) {
    refuse(
      'NO_DEFAULT_PROVIDER',
      `Cannot ${forWhat}: no default key provider is set in vCenter ${vc.name}. Add a key provider and set it as the default (Configure > Security > Key Providers).`,
    );
  }
  const provider = rt.provider(id);
  if (!provider) refuse('NO_SUCH_PROVIDER', `Key provider ${id} is not configured in vCenter ${vc.name}. ${chooseProvider}`);
  if (provider.kind === 'native' && !provider.backedUp) refuse('NKP_NOT_BACKED_UP', `Key provider ${provider.name} requires backup. ${backUpFirst(provider.name)}`);
  return provider;
}

/** A new KEK for one VM on its host; refused (LabRefusal) when the host or the provider cannot provide it. */
export async function provisionKek(rt: LabRuntime, provider: Provider, hostId: string, vmId: string): Promise<ProvisionedKek> {
  const [kek] = await provisionKeks(rt, provider, [{ hostId, vmId }]);
  if (kek instanceof LabRefusal) throw kek;
  return kek!;
}

/**
 * A new KEK for each VM, as provisionKek gives them one by one; for a standard provider the keys are created with one
 * KMS request and stored with one key-vault write each for the KMS nodes and the hosts. Each entry is the VM's KEK or
 * the refusal that kept it from one (its host is off, no KMS node answered...).
 */
export async function provisionKeks(
  rt: LabRuntime,
  provider: Provider,
  targets: readonly { hostId: string; vmId: string }[],
): Promise<(ProvisionedKek | LabRefusal)[]> {
  const refusals = targets.map(({ hostId }) => refusalOf(() => requireHostForKeys(rt, hostId)));
  const ready = targets.filter((_, i) => !refusals[i]);
  let keks: (ProvisionedKek | LabRefusal)[];
  if (provider.kind === 'standard') {
    keks = await standardKeks(rt, provider, ready);
  } else {
    keks = await inBatches([...ready], 8, async ({ hostId, vmId }) => {
      try {
        return await nativeKek(rt, provider, hostId, vmId);
      } catch (error) {
        if (error instanceof LabRefusal) return error;
        throw error;
      }
    });
  }
  let next = 0;
  return refusals.map((refusal) => refusal ?? keks[next++]!);
}

function refusalOf(check: () => void): LabRefusal | null {
  try {
    check();
    return null;
  } catch (error) {
    if (error instanceof LabRefusal) return error;
    throw error;
  }
}

function requireHostForKeys(rt: LabRuntime, hostId: string): void {
  const host = rt.host(hostId);
  if (host.power !== 'on') refuse('HOST_OFF', `Host ${host.name} is powered off. Power it on first.`);
  if (host.connection !== 'connected') refuse('HOST_NOT_CONNECTED', `Host ${host.name} is not connected to vCenter. ${host.connection === 'removed' ? 'Add it to vCenter' : 'Connect it'} first.`);
}

async function standardKeks(
  rt: LabRuntime,
  provider: StandardProviderRecord,
  targets: readonly { hostId: string; vmId: string }[],
): Promise<(ProvisionedKek | LabRefusal)[]> {
  if (targets.length === 0) return [];
  let keys: { keyId: string; key: CryptoKey }[];
  try {
    ({ keys } = await kmsCreateMany(rt, provider, targets.length));
  } catch (error) {
    // No KMS node created the keys: every VM is refused for the same reason.
    if (error instanceof LabRefusal) return targets.map(() => error);
    throw error;
  }
  const records = await putRamKeys(
    rt,
    targets.map(({ hostId }, i) => ({ hostId, keyId: keys[i]!.keyId, level: 'KEK' as const, providerId: provider.id, key: keys[i]!.key })),
  );
  rt.vcenterRef().send({ type: 'keydb.put', entries: targets.map(({ vmId }, i) => ({ keyId: keys[i]!.keyId, providerId: provider.id, vmId })) });
  return keys.map(({ keyId, key }, i) => ({
    key,
    keyId,
    providerId: provider.id,
    kdkKeyId: null,
    providerKind: 'standard' as const,
    providerName: provider.name,
    fingerprint: records[i]!.fingerprint,
  }));
}

async function nativeKek(rt: LabRuntime, provider: NativeProvider, hostId: string, vmId: string): Promise<ProvisionedKek> {
  const problem = kdkRefusal(rt, provider, hostId);
  if (problem) refuse(problem.startsWith(TPM_REQUIRED) ? 'TPM_REQUIRED' : 'NKP_UNAVAILABLE', problem);
  const kdk = await pushKdkToHost(rt, provider, hostId);
  // Nothing is stored wrapped: the key ID (in vCenter's key database and the VM's files) is enough for any holder of
  // this KDK to derive the KEK again.
  const keyId = rt.newId();
  const kek = await deriveKek(kdk, keyId);
  await putRamKey(rt, hostId, { keyId, level: 'KEK', providerId: provider.id, key: kek, kdkKeyId: provider.keyId });
  rt.vcenterRef().send({ type: 'keydb.put', entries: [{ keyId, providerId: provider.id, vmId }] });
  return {
    key: kek,
    keyId,
    providerId: provider.id,
    kdkKeyId: provider.keyId,
    providerKind: 'native',
    providerName: provider.name,
    fingerprint: await keyFingerprint(kek),
  };
}
