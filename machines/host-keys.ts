// How keys reach an ESXi host: KEKs fetched by vCenter from a standard provider, NKP KDKs pushed by vCenter (and
// sealed in the TPM), KEKs unwrapped with a KDK the host holds, and the TPM unsealed at boot.
import { keyFingerprint } from '@/lib/crypto/keys';
import { unwrapKek } from '@/lib/crypto/wrap';
import { deleteKeysOf, getKey, putKey } from '@/lib/storage';
import type { HostKeyRecord } from './host.machine';
import { KeyUnavailable } from './key-unavailable';
import { hostRamOwner, hostRamRow, tpmOwner, tpmRow, vcenterKdkRow } from './key-vault-ids';
import { kmsGet } from './kms-client';
import { refuse } from './lab-refusal';
import type { LabRuntime } from './lab-runtime';
import type { NativeProviderRecord } from './vcenter.machine';

export const TPM_REQUIRED = 'TPM2 Device is Required';

export async function putRamKey(
  rt: LabRuntime,
  hostId: string,
  entry: { keyId: string; level: 'KDK' | 'KEK'; providerId: string; key: CryptoKey },
): Promise<HostKeyRecord> {
  return (await putRamKeys(rt, [{ hostId, ...entry }]))[0]!;
}

/** putRamKey for many keys (of one host or several): one key-vault write, one event per host. */
export async function putRamKeys(
  rt: LabRuntime,
  entries: readonly { hostId: string; keyId: string; level: 'KDK' | 'KEK'; providerId: string; key: CryptoKey }[],
): Promise<HostKeyRecord[]> {
  const records = await Promise.all(
    entries.map(async (e): Promise<HostKeyRecord> => ({ keyId: e.keyId, level: e.level, providerId: e.providerId, fingerprint: await keyFingerprint(e.key) })),
  );
  await rt.vault.put(entries.map((e, i) => ({ id: hostRamRow(e.hostId, e.keyId), owner: hostRamOwner(e.hostId), key: e.key, meta: { ...records[i]! } })));
  const byHost = new Map<string, HostKeyRecord[]>();
  entries.forEach((e, i) => {
    rt.ramCache.set(hostRamRow(e.hostId, e.keyId), e.key);
    byHost.set(e.hostId, [...(byHost.get(e.hostId) ?? []), records[i]!]);
  });
  for (const [hostId, keys] of byHost) {
    const ref = rt.hostRef(hostId);
    ref.send({ type: 'host.ramKeysAdded', keys });
    // A host that holds keys is in encryption mode "safe" (vSphere enables it when it first gets a key).
    const state = ref.getSnapshot().context.cryptoState;
    if (state === 'incapable' || state === 'prepared') ref.send({ type: 'host.setCryptoState', cryptoState: 'safe' });
  }
  return records;
}

export async function ramKey(rt: LabRuntime, hostId: string, keyId: string): Promise<CryptoKey | undefined> {
  const host = rt.host(hostId);
  if (host.power !== 'on' || !host.ramKeys.some((k) => k.keyId === keyId)) return undefined;
  const row = hostRamRow(hostId, keyId);
  const cached = rt.ramCache.get(row);
  if (cached) return cached;
  const key = (await getKey(rt.db, row))?.key;
  if (key) rt.ramCache.set(row, key);
  return key;
}

/** A host stopped: its memory, and so its keys, are gone. */
export async function forgetHostRam(rt: LabRuntime, hostId: string): Promise<void> {
  const prefix = `${hostRamOwner(hostId)}:`;
  for (const id of [...rt.ramCache.keys()]) if (id.startsWith(prefix)) rt.ramCache.delete(id);
  await deleteKeysOf(rt.db, hostRamOwner(hostId));
}

/** The KDK of a native provider as vCenter holds it, or undefined when this vCenter has none. */
export async function vcenterKdk(rt: LabRuntime, provider: NativeProviderRecord): Promise<CryptoKey | undefined> {
  return (await getKey(rt.db, vcenterKdkRow(provider.id)))?.key;
}

/** The host's eligibility for an NKP: a TPM-only provider never goes to a host without TPM 2.0. */
export function kdkRefusal(rt: LabRuntime, provider: NativeProviderRecord, hostId: string): string | null {
  const host = rt.host(hostId);
  if (provider.tpmOnly && !host.hasTpm) return `${TPM_REQUIRED}: key provider ${provider.name} is used only with TPM-protected ESXi hosts, and ${host.name} has no TPM 2.0.`;
  if (!provider.backedUp) return `Key provider ${provider.name} requires backup.`;
  if (host.power !== 'on') return `Host ${host.name} is powered off.`;
  return null;
}

/** vCenter pushes an NKP's KDK to a host (RAM) and, where there is a TPM, the host seals it. */
export async function pushKdkToHost(rt: LabRuntime, provider: NativeProviderRecord, hostId: string): Promise<CryptoKey> {
  const problem = kdkRefusal(rt, provider, hostId);
  if (problem) refuse(problem.startsWith(TPM_REQUIRED) ? 'TPM_REQUIRED' : 'NKP_UNAVAILABLE', problem);
  const kdk = await vcenterKdk(rt, provider);
  if (!kdk) refuse('NKP_KDK_MISSING', `vCenter does not hold the key of ${provider.name}.`);
  const host = rt.host(hostId);
  if (!host.ramKeys.some((k) => k.keyId === provider.keyId)) {
    const record = await putRamKey(rt, hostId, { keyId: provider.keyId, level: 'KDK', providerId: provider.id, key: kdk });
    rt.logCrypto('PushKey', provider.keyId, hostId, `vCenter pushed the key of ${provider.name} to host ${host.name}${host.hasTpm ? ', which sealed it in its TPM' : ''}.`);
    if (host.hasTpm) {
      await putKey(rt.db, { id: tpmRow(hostId, provider.keyId), owner: tpmOwner(hostId), key: kdk, meta: { ...record } });
      rt.hostRef(hostId).send({ type: 'host.tpmSealed', key: record });
    }
  }
  if (!provider.hostsWithKdk.includes(hostId)) {
    rt.providerRef(provider.id)?.send({ type: 'provider.hostsWithKdkSet', hostIds: [...provider.hostsWithKdk, hostId] });
  }
  return kdk;
}

/** Pushes every backed-up NKP's KDK to every eligible connected host of the running vCenter. */
export async function pushKdksToHosts(rt: LabRuntime, onlyHostId?: string): Promise<void> {
  const vc = rt.vcenter();
  if (!vc) return;
  for (const hostId of vc.hostIds) {
    if (onlyHostId && hostId !== onlyHostId) continue;
    const host = rt.host(hostId);
    if (host.connection !== 'connected' || host.power !== 'on') continue;
    for (const p of rt.providers()) {
      if (p.kind !== 'native') continue;
      // Re-read: an earlier push changed hostsWithKdk.
      const provider = rt.provider(p.id) as NativeProviderRecord;
      if (kdkRefusal(rt, provider, hostId)) continue;
      await pushKdkToHost(rt, provider, hostId);
    }
  }
}

/** At boot a host with a TPM unseals the KDKs sealed in it back into RAM, with or without vCenter. */
export async function unsealTpm(rt: LabRuntime, hostId: string): Promise<void> {
  const host = rt.host(hostId);
  if (!host.hasTpm) return;
  for (const sealed of host.tpmSealedKeys) {
    const row = await getKey(rt.db, tpmRow(hostId, sealed.keyId));
    if (row) await putRamKey(rt, hostId, { keyId: sealed.keyId, level: 'KDK', providerId: sealed.providerId, key: row.key });
  }
}

export interface VmKeyRef {
  providerId: string;
  keyId: string;
  kekWrappedByKdk: Uint8Array | null;
}

/** Finds a KDK of `providerId` the host already holds (RAM, or the TPM unsealed now). */
async function hostKdkFor(rt: LabRuntime, hostId: string, providerId: string): Promise<CryptoKey[]> {
  const host = rt.host(hostId);
  const keys: CryptoKey[] = [];
  for (const k of host.ramKeys) {
    if (k.level !== 'KDK' || k.providerId !== providerId) continue;
    const key = await ramKey(rt, hostId, k.keyId);
    if (key) keys.push(key);
  }
  return keys;
}

/**
 * The KEK a host needs to open a VM's keys: from its RAM; for NKP unwrapped with a KDK it holds (or is pushed); for a
 * standard provider fetched by key ID through vCenter. Throws KeyUnavailable with vSphere's reason otherwise.
 */
export async function kekForVm(rt: LabRuntime, hostId: string, ref: VmKeyRef): Promise<CryptoKey> {
  const cached = await ramKey(rt, hostId, ref.keyId);
  if (cached) return cached;
  const host = rt.host(hostId);
  if (host.power !== 'on') throw new KeyUnavailable('KeyStateMissingInCache', `Host ${host.name} is powered off.`);
  const vc = rt.vcenter();
  const viaVcenter = vc !== null && host.connection === 'connected' && vc.hostIds.includes(hostId);
  const provider = rt.provider(ref.providerId);

  if (ref.kekWrappedByKdk) {
    let kdks = await hostKdkFor(rt, hostId, ref.providerId);
    if (kdks.length === 0 && viaVcenter && provider?.kind === 'native') {
      const problem = kdkRefusal(rt, provider, hostId);
      if (problem) throw new KeyUnavailable('KeyStateManagedByNKP', problem);
      kdks = [await pushKdkToHost(rt, provider, hostId)];
    }
    for (const kdk of kdks) {
      try {
        // Extractable: after losing vCenter, the host must be able to wrap it again with a restored KDK (doomsday A).
        const kek = await unwrapKek(ref.kekWrappedByKdk, kdk, { extractable: true });
        await putRamKey(rt, hostId, { keyId: ref.keyId, level: 'KEK', providerId: ref.providerId, key: kek });
        return kek;
      } catch {
        // A different KDK under the same provider name: try the next one.
      }
    }
    const why = !vc
      ? 'vCenter Server is not available to push the Native Key Provider key'
      : !viaVcenter
        ? `the host is not connected to vCenter`
        : provider
          ? `the key provider ${ref.providerId} in vCenter does not open this key`
          : `no key provider named ${ref.providerId} is configured in vCenter`;
    throw new KeyUnavailable('KeyStateMissingInCache', `Key ${ref.keyId} (Native Key Provider ${ref.providerId}) is not available on host ${host.name}: ${why}.`);
  }

  if (!vc) {
    throw new KeyUnavailable(
      'KeyStateMissingInCache',
      `Key ${ref.keyId} is not in the key cache of host ${host.name}, and vCenter Server is not available to fetch it from key provider ${ref.providerId}.`,
    );
  }
  if (!viaVcenter) throw new KeyUnavailable('KeyStateMissingInCache', `Key ${ref.keyId} is not in the key cache of host ${host.name}, which is not connected to vCenter.`);
  if (!provider || provider.kind !== 'standard') {
    throw new KeyUnavailable('KeyStateMissingInCache', `Key provider ${ref.providerId} is not configured in this vCenter, so key ${ref.keyId} cannot be fetched.`);
  }
  const kek = await kmsGet(rt, provider, ref.keyId);
  await putRamKey(rt, hostId, { keyId: ref.keyId, level: 'KEK', providerId: ref.providerId, key: kek });
  rt.logCrypto('PushKey', ref.keyId, hostId, `vCenter fetched key ${ref.keyId} from ${provider.name} and pushed it to host ${host.name}.`);
  return kek;
}

