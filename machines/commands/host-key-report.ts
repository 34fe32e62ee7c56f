// A host reporting the keys it holds to vCenter: key IDs for a standard provider, and for an NKP the KEKs in its
// memory wrapped with the KDK vCenter has (a restored NKP's in doomsday A), so the key database is repopulated.
import { toBase64, wrapKey } from '@/lib/crypto/wrap';
import { ramKey, vcenterKdk } from '../host-keys';
import type { LabRuntime } from '../lab-runtime';
import type { KeyDbEntry } from '../vcenter.machine';

export async function reportHostKeys(rt: LabRuntime, hostId: string): Promise<KeyDbEntry[]> {
  const vc = rt.vcenter();
  const host = rt.host(hostId);
  if (!vc || host.power !== 'on' || host.connection !== 'connected' || !vc.hostIds.includes(hostId)) return [];
  const vms = rt.vmRefs().map((r) => r.getSnapshot().context);
  const entries: KeyDbEntry[] = [];
  for (const k of host.ramKeys) {
    if (k.level !== 'KEK') continue;
    const provider = rt.provider(k.providerId);
    if (!provider) continue;
    const known = vc.keyDatabase.find((e) => e.keyId === k.keyId);
    const vmId = vms.find((vm) => vm.encryption?.keyId === k.keyId)?.id ?? null;
    if (provider.kind === 'standard') {
      if (!known) entries.push({ keyId: k.keyId, providerId: provider.id, vmId });
      continue;
    }
    if (known?.wrappedKek) continue;
    const kdk = await vcenterKdk(rt, provider);
    const kek = await ramKey(rt, hostId, k.keyId);
    // Only a KEK the host unwrapped itself (extractable) can be wrapped again; a standard KEK never can.
    if (!kdk || !kek || !kek.extractable) continue;
    entries.push({ keyId: k.keyId, providerId: provider.id, vmId, wrappedKek: toBase64(await wrapKey(kek, kdk)) });
  }
  if (entries.length > 0) {
    rt.vcenterRef().send({ type: 'keydb.put', entries });
    for (const e of entries) {
      rt.logCrypto('PushKeys', e.keyId, hostId, `Host ${host.name} reported key ${e.keyId} of ${e.providerId}${e.wrappedKek ? ', wrapped with the KDK' : ''}.`);
    }
  }
  return entries;
}

/** Every connected host of the running vCenter reports its keys; returns how many entries were added. */
export async function addHostKeysToDatabase(rt: LabRuntime): Promise<number> {
  let n = 0;
  for (const hostId of rt.vcenter()?.hostIds ?? []) n += (await reportHostKeys(rt, hostId)).length;
  return n;
}
