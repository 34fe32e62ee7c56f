// How keys reach an ESXi host: KEKs fetched by vCenter from a standard provider (kept in the host's key cache, memory
// only), NKP KDKs pushed by vCenter (and kept in the host's encrypted configuration, host-config.ts, read back at every
// boot), KEKs derived from a KDK the host holds and the key ID in the VM's files.
import { deriveKek, derivationKdk } from '@/lib/crypto/derive';
import { exportRawKey, keyFingerprint } from '@/lib/crypto/keys';
import { deleteKeysOf, getKey } from '@/lib/storage';
import type { HostKeyRecord } from '../actors/host.machine';
import { KeyUnavailable } from './key-unavailable';
import { keepKdkInConfiguration } from './host-config';
import { hostRamOwner, hostRamRow, vcenterKdkRow } from './key-vault-ids';
import { kmsGet } from './kms-client';
import { refuse } from '../commands/lab-refusal';
import { backUpFirst, restoreNkp, tpmRequiredNext } from '../commands/refusal-advice';
import type { LabRuntime } from '../session/lab-runtime';
import type { NativeProvider, NativeProviderRecord } from '../actors/vcenter.machine';

export const TPM_REQUIRED = 'TPM2 Device is Required';

export async function putRamKey(
  rt: LabRuntime,
  hostId: string,
  entry: RamKeyEntry,
): Promise<HostKeyRecord> {
  return (await putRamKeys(rt, [{ hostId, ...entry }]))[0]!;
}

/**
 * A key going into a host's memory. A KDK's fingerprint is given (vCenter's, computed from its exportable copy): the
 * host's derive-only copy cannot be fingerprinted by wrapping. An NKP KEK names the KDK it was derived from.
 */
export interface RamKeyEntry {
  keyId: string;
  level: 'KDK' | 'KEK';
  providerId: string;
  key: CryptoKey;
  fingerprint?: string;
  kdkKeyId?: string;
}

/** putRamKey for many keys (of one host or several): one key-vault write, one event per host. */
export async function putRamKeys(rt: LabRuntime, entries: readonly (RamKeyEntry & { hostId: string })[]): Promise<HostKeyRecord[]> {
  const records = await Promise.all(
    entries.map(
      async (e): Promise<HostKeyRecord> => ({
        keyId: e.keyId,
        level: e.level,
        providerId: e.providerId,
        fingerprint: e.fingerprint ?? (await keyFingerprint(e.key)),
        ...(e.kdkKeyId ? { kdkKeyId: e.kdkKeyId } : {}),
      }),
    ),
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
    if (state === 'incapable' || state === 'prepared') ref.send({ type: 'host.cryptoStateSet', cryptoState: 'safe' });
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
export function kdkRefusal(rt: LabRuntime, provider: NativeProvider, hostId: string): string | null {
  const host = rt.host(hostId);
  if (provider.tpmOnly && !host.hasTpm) {
    const withTpm = rt.hostRefs().map((r) => r.getSnapshot().context).filter((h) => h.hasTpm).map((h) => h.name);
    return `${TPM_REQUIRED}: key provider ${provider.name} is used only with TPM-protected ESXi hosts, and ${host.name} has no TPM 2.0. ${tpmRequiredNext(provider.name, withTpm)}`;
  }
  if (!provider.backedUp) return `Key provider ${provider.name} requires backup. ${backUpFirst(provider.name)}`;
  if (host.power !== 'on') return `Host ${host.name} is powered off. Power it on first.`;
  return null;
}

/**
 * vCenter pushes an NKP's KDK to a host (RAM), and the host keeps it in its encrypted configuration (whose key its TPM
 * seals, or which lies on its boot disk without one). The host's RAM copy is derive-only and non-extractable: only
 * vCenter's copy can ever be exported (for the .p12). Returns the host's copy.
 */
export async function pushKdkToHost(rt: LabRuntime, provider: NativeProvider, hostId: string): Promise<CryptoKey> {
  const problem = kdkRefusal(rt, provider, hostId);
  if (problem) refuse(problem.startsWith(TPM_REQUIRED) ? 'TPM_REQUIRED' : 'NKP_UNAVAILABLE', problem);
  const host = rt.host(hostId);
  const held = host.ramKeys.some((k) => k.keyId === provider.keyId) ? await ramKey(rt, hostId, provider.keyId) : undefined;
  const kept = host.configuration.keys.some((k) => k.keyId === provider.keyId && !k.legacyTpm);
  if (held && kept) return held;
  const vcKdk = await vcenterKdk(rt, provider);
  if (!held && !vcKdk) refuse('NKP_KDK_MISSING', `vCenter does not hold the key of ${provider.name}. ${restoreNkp(provider.name)}`);
  const kdk = held ?? (await derivationKdk(vcKdk!));
  const record: HostKeyRecord = { keyId: provider.keyId, level: 'KDK', providerId: provider.id, fingerprint: provider.fingerprint };
  if (!held) {
    await putRamKey(rt, hostId, { ...record, key: kdk });
    rt.logCrypto(
      'PushKey',
      provider.keyId,
      hostId,
      `vCenter pushed the key of ${provider.name} to host ${host.name}, which keeps it in its encrypted configuration (${host.hasTpm ? 'its key sealed by the TPM' : 'no TPM: its key on the boot disk'}).`,
    );
  }
  if (!kept && vcKdk) await keepKdkInConfiguration(rt, hostId, record, await exportRawKey(vcKdk));
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
      if (kdkRefusal(rt, p, hostId)) continue;
      await pushKdkToHost(rt, p, hostId);
    }
  }
}

export interface VmKeyRef {
  providerId: string;
  keyId: string;
  /** NKP: the key ID of the provider's KDK the KEK is derived from; null for a standard provider. */
  kdkKeyId: string | null;
}

/** Why an NKP key cannot be had from the provider configured under its name: it is another NKP (another KDK). */
export function nkpMismatchReason(ref: VmKeyRef, providerKeyId: string): string {
  return (
    `Key ${ref.keyId} cannot be derived here: this key belongs to Native Key Provider ${ref.providerId} with key ID ${ref.kdkKeyId}; ` +
    `the provider here has key ID ${providerKeyId}: restore the original backup (remove the ${ref.providerId} configured here, then Add > Restore from backup with the .p12 of ${ref.providerId}).`
  );
}

/** The KDK of key ID `kdkKeyId` if the host holds it (RAM, where its configuration put it at boot). */
async function hostKdk(rt: LabRuntime, hostId: string, kdkKeyId: string): Promise<CryptoKey | undefined> {
  const record = rt.host(hostId).ramKeys.find((k) => k.level === 'KDK' && k.keyId === kdkKeyId);
  return record ? ramKey(rt, hostId, record.keyId) : undefined;
}

/**
 * The KEK a host needs to open a VM's keys: from its RAM; for NKP derived from the KDK the VM's files name (held by the
 * host, or pushed by vCenter when its provider of that name is that very KDK); for a standard provider fetched by key
 * ID through vCenter. Throws KeyUnavailable with vSphere's reason otherwise.
 */
export async function kekForVm(rt: LabRuntime, hostId: string, ref: VmKeyRef): Promise<CryptoKey> {
  const cached = await ramKey(rt, hostId, ref.keyId);
  if (cached) return cached;
  const host = rt.host(hostId);
  if (host.power !== 'on') throw new KeyUnavailable('KeyStateMissingInCache', `Host ${host.name} is powered off.`);
  const vc = rt.vcenter();
  const viaVcenter = vc !== null && host.connection === 'connected' && vc.hostIds.includes(hostId);
  const provider = rt.provider(ref.providerId);

  if (ref.kdkKeyId) {
    let kdk = await hostKdk(rt, hostId, ref.kdkKeyId);
    if (!kdk && viaVcenter && provider?.kind === 'native') {
      if (provider.keyId !== ref.kdkKeyId) throw new KeyUnavailable('KeyStateMissingInCache', nkpMismatchReason(ref, provider.keyId));
      const problem = kdkRefusal(rt, provider, hostId);
      if (problem) throw new KeyUnavailable('KeyStateManagedByNKP', problem);
      kdk = await pushKdkToHost(rt, provider, hostId);
    }
    if (kdk) {
      const kek = await deriveKek(kdk, ref.keyId);
      await putRamKey(rt, hostId, { keyId: ref.keyId, level: 'KEK', providerId: ref.providerId, key: kek, kdkKeyId: ref.kdkKeyId });
      return kek;
    }
    const why = !vc
      ? 'vCenter Server is not available to push the Native Key Provider key'
      : !viaVcenter
        ? `the host is not connected to vCenter`
        : provider
          ? `the key provider ${ref.providerId} in vCenter is not a Native Key Provider`
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

