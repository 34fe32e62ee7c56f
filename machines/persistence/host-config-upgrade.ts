// Labs saved before hosts kept an encrypted configuration: a TPM host had its KDKs sealed straight in the TPM, a host
// without one kept them in RAM only. On open each such host gets its configuration written for real, holding the KDKs
// whose bytes the lab still has (vCenter's exportable copy, or an old extractable host copy); a KDK sealed in the TPM
// whose bytes are nowhere else stays there and is still read at boot (it cannot be re-encrypted: the TPM's copy is
// derive-only), until the TPM is cleared. The event log says what was done.
import { exportRawKey } from '@/lib/crypto/keys';
import type { ConfigurationSecret } from '@/lib/crypto/host-configuration';
import { deleteKey, getKey, listKeys, type KeyVaultRow } from '@/lib/storage';
import type { HostKeyRecord } from '../actors/host.machine';
import { installConfigurations } from '../keys/host-config';
import { tpmRow } from '../keys/key-vault-ids';
import { EVENT } from '../session/lab-event-ids';
import type { LabRuntime, LogInput } from '../session/lab-runtime';

export function hostsNeedConfiguration(rt: LabRuntime): boolean {
  return rt.hostRefs().some((ref) => !ref.getSnapshot().context.configuration.written);
}

/** The KDK's 32 bytes from any copy the lab can still read out (vCenter's, or a host copy an old lab made extractable). */
async function rawKdk(rows: readonly KeyVaultRow[], keyId: string): Promise<Uint8Array | null> {
  const row = rows.find((r) => r.meta?.keyId === keyId && r.key.extractable && r.key.algorithm.name === 'AES-KW');
  return row ? exportRawKey(row.key) : null;
}

export async function upgradeHostConfigurations(rt: LabRuntime): Promise<number> {
  const hosts = rt.hostRefs().map((ref) => ref.getSnapshot().context).filter((h) => !h.configuration.written);
  if (hosts.length === 0) return 0;
  const rows = await listKeys(rt.db);
  const installs: Parameters<typeof installConfigurations>[1][number][] = [];
  const logs: LogInput[] = [];
  for (const host of hosts) {
    const candidates = new Map<string, HostKeyRecord>();
    for (const k of host.configuration.keys) candidates.set(k.keyId, k);
    // Such a host never rebooted with its KDK before; now it keeps what it holds, as ESXi does.
    for (const k of host.ramKeys) if (k.level === 'KDK' && !candidates.has(k.keyId)) candidates.set(k.keyId, k);
    const secrets: ConfigurationSecret[] = [];
    const stillInTpm: HostKeyRecord[] = [];
    const lost: string[] = [];
    for (const k of candidates.values()) {
      const kdk = await rawKdk(rows, k.keyId);
      if (kdk) secrets.push({ keyId: k.keyId, providerId: k.providerId, fingerprint: k.fingerprint, kdk });
      else if (k.legacyTpm && (await getKey(rt.db, tpmRow(host.id, k.keyId)))) stillInTpm.push({ keyId: k.keyId, level: 'KDK', providerId: k.providerId, fingerprint: k.fingerprint, legacyTpm: true });
      else lost.push(k.providerId);
    }
    installs.push({ hostId: host.id, secrets, legacy: stillInTpm });
    logs.push({
      eventTypeId: EVENT.labVmReconciled,
      user: 'lab',
      objectId: host.id,
      message:
        `Host ${host.name} was saved by an earlier keylab, before hosts kept an encrypted configuration: it has one now ` +
        `(${host.hasTpm ? 'its key sealed by the TPM' : 'no TPM: its key on the boot disk'}), holding ${secrets.length} KDK(s).` +
        (stillInTpm.length ? ` ${stillInTpm.length} KDK(s) stay sealed in its TPM only (their bytes are nowhere else in the lab): a TPM clear loses them even with the recovery key.` : '') +
        (lost.length ? ` The key(s) of ${lost.join(', ')} in its memory could not be kept (vCenter no longer holds them): a reboot loses them.` : ''),
    });
  }
  await installConfigurations(rt, installs);
  // Only now that the archives hold them: the old TPM rows of the KDKs that moved in.
  for (const { hostId, secrets = [] } of installs) for (const s of secrets) await deleteKey(rt.db, tpmRow(hostId, s.keyId));
  rt.log(...logs);
  return hosts.length;
}
