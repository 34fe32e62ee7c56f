// Native Key Provider backup and restore: the real .p12 (lib/crypto/pkcs12), "Back up" marking the provider usable and
// pushing its KDK to the hosts, and "Add > Restore from backup" in the current vCenter (same name and key ID).
import { KeylabCryptoError } from '@/lib/crypto/errors';
import { keyFingerprint } from '@/lib/crypto/keys';
import { loadNkpBackup } from '@/lib/crypto';
import { putKey } from '@/lib/storage';
import { pushKdksToHosts, vcenterKdk } from '../host-keys';
import { VCENTER_OWNER, vcenterKdkRow } from '../key-vault-ids';
import { EVENT } from '../lab-event-ids';
import { refuse } from '../lab-refusal';
import type { LabRuntime } from '../lab-runtime';
import type { NativeProviderRecord } from '../vcenter.machine';
import { addHostKeysToDatabase } from './host-key-report';

export async function exportBackup(rt: LabRuntime, providerId: string, password: string): Promise<{ fileName: string; bytes: Uint8Array }> {
  rt.requirePrivilege('Cryptographer.ManageKeyServers');
  rt.requireVcenter();
  const provider = rt.provider(providerId);
  if (!provider || provider.kind !== 'native') refuse('NO_SUCH_PROVIDER', `There is no Native Key Provider ${providerId}.`);
  const kdk = await vcenterKdk(rt, provider);
  if (!kdk) refuse('NKP_KDK_MISSING', `vCenter does not hold the key of ${provider.name}.`);
  // pkijs loads only when a learner backs up or restores (about 87 kB gzipped the lab would otherwise load up front).
  const { exportNkpBackup, nkpBackupFileName } = await loadNkpBackup();
  const bytes = await exportNkpBackup({ kdk, providerName: provider.name, keyId: provider.keyId, exportedAt: Date.now(), tpmOnly: provider.tpmOnly }, password);
  const fileName = nkpBackupFileName(provider.name, provider.keyId);
  const wasBackedUp = provider.backedUp;
  rt.providerRef(providerId)?.send({ type: 'provider.backedUp' });
  rt.root.send({ type: 'lab.backupRecorded', backup: { providerId, keyId: provider.keyId, fileName, fingerprint: provider.fingerprint, exportedAt: rt.clock.now() } });
  rt.logCrypto('ExportKeyProvider', provider.keyId, providerId, `Native Key Provider ${provider.name} backed up to ${fileName}${password ? ' (password-protected)' : ' (no password: not recommended)'}.`);
  if (!wasBackedUp) {
    rt.log({ eventTypeId: EVENT.kmsAllBackedUp, objectId: providerId, message: `Key provider ${provider.name} is backed up; vCenter pushes its key to the hosts.` });
    await pushKdksToHosts(rt);
  }
  return { fileName, bytes };
}

/** "Add > Restore from backup": nothing changes unless the file opens with the password and holds an NKP key. */
export async function restoreBackup(rt: LabRuntime, p12: Uint8Array, password: string): Promise<string> {
  rt.requirePrivilege('Cryptographer.ManageKeyServers');
  const vc = rt.requireVcenter();
  let contents;
  try {
    const { importNkpBackup } = await loadNkpBackup();
    contents = await importNkpBackup(p12, password);
  } catch (error) {
    if (error instanceof KeylabCryptoError) refuse(error.code, `Cannot restore the key provider: ${error.message}`);
    throw error;
  }
  const existing = rt.provider(contents.providerName);
  if (existing) refuse('PROVIDER_EXISTS', `A key provider named ${contents.providerName} already exists in vCenter ${vc.name}.`);
  const id = contents.providerName;
  await putKey(rt.db, { id: vcenterKdkRow(id), owner: VCENTER_OWNER, key: contents.kdk, meta: { providerId: id, keyId: contents.keyId } });
  const provider: NativeProviderRecord = {
    kind: 'native',
    id,
    name: id,
    keyId: contents.keyId,
    tpmOnly: contents.tpmOnly,
    backedUp: true,
    hostsWithKdk: [],
    fingerprint: await keyFingerprint(contents.kdk),
  };
  rt.addProvider(provider);
  if (rt.requireVcenter().defaultProviderId === null) rt.vcenterRef().send({ type: 'provider.defaultSet', providerId: id });
  rt.logCrypto('ImportKeyProvider', contents.keyId, id, `Native Key Provider ${id} restored from backup (key ID ${contents.keyId}).`);
  await pushKdksToHosts(rt);
  const reported = await addHostKeysToDatabase(rt);
  return `Native Key Provider ${id} restored with key ID ${contents.keyId}.${reported ? ` ${reported} key(s) reported by hosts into the key database.` : ''}`;
}
