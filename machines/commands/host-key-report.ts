// A host reporting the keys it holds to vCenter (a host added to a new vCenter: doomsday A). A standard provider's
// key IDs are recorded as they are. An NKP key ID is recorded only when the host proves it under the provider
// configured here: derived from the KDK of the same key ID, and the same KEK that vCenter derives from its own KDK.
// A key of another NKP of the same name (a new one, not the restored backup) is refused with the reason.
import { deriveKek } from '@/lib/crypto/derive';
import { keyFingerprint } from '@/lib/crypto/keys';
import { nkpMismatchReason, ramKey, vcenterKdk } from '../keys/host-keys';
import { EVENT } from '../session/lab-event-ids';
import type { LabRuntime } from '../session/lab-runtime';
import type { KeyDbEntry } from '../actors/vcenter.machine';

export interface HostKeyReport {
  entries: KeyDbEntry[];
  /** Key reports vCenter refused, each with vSphere's reason and what to do. */
  refused: string[];
}

export async function reportHostKeys(rt: LabRuntime, hostId: string): Promise<KeyDbEntry[]> {
  return (await reportHostKeysWithRefusals(rt, hostId)).entries;
}

export async function reportHostKeysWithRefusals(rt: LabRuntime, hostId: string): Promise<HostKeyReport> {
  const vc = rt.vcenter();
  const host = rt.host(hostId);
  if (!vc || host.power !== 'on' || host.connection !== 'connected' || !vc.hostIds.includes(hostId)) return { entries: [], refused: [] };
  const vms = rt.vmRefs().map((r) => r.getSnapshot().context);
  const entries: KeyDbEntry[] = [];
  const refused: string[] = [];
  for (const k of host.ramKeys) {
    if (k.level !== 'KEK') continue;
    const provider = rt.provider(k.providerId);
    if (!provider || vc.keyDatabase.some((e) => e.keyId === k.keyId)) continue;
    const vm = vms.find((v) => (v.homeEncryption ?? v.encryption)?.keyId === k.keyId);
    const entry = { keyId: k.keyId, providerId: provider.id, vmId: vm?.id ?? null };
    if (provider.kind === 'standard') {
      if (!k.kdkKeyId) entries.push(entry);
      continue;
    }
    const ref = { providerId: k.providerId, keyId: k.keyId, kdkKeyId: k.kdkKeyId ?? 'unknown' };
    if (k.kdkKeyId !== provider.keyId) {
      refused.push(nkpMismatchReason(ref, provider.keyId));
      continue;
    }
    // The proof: the KEK the host holds is the one vCenter derives from its own KDK and the key ID.
    const [kdk, held] = await Promise.all([vcenterKdk(rt, provider), ramKey(rt, hostId, k.keyId)]);
    if (!kdk || !held) continue;
    if ((await keyFingerprint(held)) !== (await keyFingerprint(await deriveKek(kdk, k.keyId)))) {
      refused.push(`${nkpMismatchReason(ref, provider.keyId)} (Same key ID, but not the same key.)`);
      continue;
    }
    entries.push(entry);
  }
  if (entries.length > 0) {
    rt.vcenterRef().send({ type: 'keydb.put', entries });
    for (const e of entries) {
      const how = rt.provider(e.providerId)?.kind === 'native' ? ', proved under the KDK of that provider' : '';
      rt.logCrypto('PushKeys', e.keyId, hostId, `Host ${host.name} reported key ${e.keyId} of ${e.providerId}${how}: vCenter's key database records its ID.`);
    }
  }
  if (refused.length > 0) {
    rt.log(...refused.map((reason) => ({ eventTypeId: EVENT.cryptoOperation, operation: 'PushKeys', severity: 'warning' as const, objectId: hostId, message: `Key report from host ${host.name} refused. ${reason}` })));
  }
  return { entries, refused };
}

/** Every connected host of the running vCenter reports its keys; returns how many entries were added. */
export async function addHostKeysToDatabase(rt: LabRuntime): Promise<number> {
  let n = 0;
  for (const hostId of rt.vcenter()?.hostIds ?? []) n += (await reportHostKeysWithRefusals(rt, hostId)).entries.length;
  return n;
}
