// Native Key Provider backup and restore: the real .p12 (lib/crypto/pkcs12), "Back up" marking the provider usable and
// pushing its KDK to the hosts, and "Add > Restore from backup" in the current vCenter (same name and key ID).
import { KeylabCryptoError } from '@/lib/crypto/errors';
import { keyFingerprint } from '@/lib/crypto/keys';
import { loadNkpBackup } from '@/lib/crypto';
import type { NkpBackupContents } from '@/lib/crypto';
import { loadPasswordRater } from '@/lib/password/password-strength';
import { putKey } from '@/lib/storage';
import { pushKdksToHosts, vcenterKdk } from '../keys/host-keys';
import { VCENTER_OWNER, vcenterKdkRow } from '../keys/key-vault-ids';
import { EVENT } from '../session/lab-event-ids';
import { refuse } from './lab-refusal';
import { restoreNkp } from './refusal-advice';
import type { LabRuntime } from '../session/lab-runtime';
import type { NativeProviderRecord } from '../actors/vcenter.machine';
import type { BackupPasswordStrength } from '../actors/lab.machine';
import { addHostKeysToDatabase } from './host-key-report';
import { requireProviderName } from './preconditions/providers';
import { namesProviderOnly, usesProviderKeys } from '../view/provider-users';

/**
 * The lab (not vSphere) rates a backup's password as the backup dialog's meter does, so a lesson can judge it: a check
 * reads the view, and the view never holds the password itself.
 */
export async function rateBackupPassword(rt: LabRuntime, providerId: string, password: string): Promise<BackupPasswordStrength> {
  const name = rt.provider(providerId)?.name ?? providerId;
  return password ? (await loadPasswordRater())(password, [name]).level : 'none';
}

/** "Back Up Key Provider" with a password already rated (rateBackupPassword, or the rating a replay recorded). */
export async function exportBackup(
  rt: LabRuntime,
  providerId: string,
  password: string,
  passwordStrength: BackupPasswordStrength,
): Promise<{ fileName: string; bytes: Uint8Array }> {
  rt.requirePrivilege('Cryptographer.ManageKeyServers');
  rt.requireVcenter();
  const provider = rt.provider(providerId);
  if (!provider || provider.kind !== 'native') refuse('NO_SUCH_PROVIDER', `There is no Native Key Provider ${providerId}.`);
  const kdk = await vcenterKdk(rt, provider);
  if (!kdk) refuse('NKP_KDK_MISSING', `vCenter does not hold the key of ${provider.name}. ${restoreNkp(provider.name)}`);
  // pkijs loads only when a learner backs up or restores (about 87 kB gzipped the lab would otherwise load up front).
  const { exportNkpBackup, nkpBackupFileName } = await loadNkpBackup();
  const bytes = await exportNkpBackup({ kdk, providerName: provider.name, keyId: provider.keyId, exportedAt: Date.now(), tpmOnly: provider.tpmOnly }, password);
  const fileName = nkpBackupFileName(provider.name, provider.keyId);
  const wasBackedUp = provider.backedUp;
  rt.providerRef(providerId)?.send({ type: 'provider.backedUp' });
  rt.root.send({
    type: 'lab.backupRecorded',
    backup: { providerId, keyId: provider.keyId, fileName, fingerprint: provider.fingerprint, exportedAt: rt.clock.now(), passwordStrength },
  });
  rt.logCrypto('ExportKeyProvider', provider.keyId, providerId, `Native Key Provider ${provider.name} backed up to ${fileName}${password ? ' (password-protected)' : ' (no password: not recommended)'}.`);
  if (!wasBackedUp) {
    rt.log({ eventTypeId: EVENT.kmsAllBackedUp, objectId: providerId, message: `Key provider ${provider.name} is backed up; vCenter pushes its key to the hosts.` });
    await pushKdksToHosts(rt);
  }
  return { fileName, bytes };
}

export interface RestoreFileOptions {
  /** Progress of the password check: iterations done of total. */
  onProgress?: (done: number, total: number) => void;
  /** Cancels opening the file; the restore then fails with "cancelled" and nothing changes. */
  signal?: AbortSignal;
}

/** The backup file opened, or why it did not open, or left unopened because the restore would be refused first. */
export type OpenedBackup = OpenResult | { unopened: { p12: Uint8Array; password: string } };
type OpenResult = { contents: NkpBackupContents } | { error: unknown };

/**
 * Opens the .p12 before the restore takes its turn in the command queue: the password work may take seconds (a file
 * made with many iterations), and other commands need not wait behind it. Never rejects.
 */
export async function openBackupFile(rt: LabRuntime, p12: Uint8Array, password: string, options: RestoreFileOptions = {}): Promise<OpenedBackup> {
  // No password work for a restore that will be refused anyway (restoreBackup says why, in its turn).
  try {
    rt.requirePrivilege('Cryptographer.ManageKeyServers');
    rt.requireVcenter();
  } catch {
    return { unopened: { p12, password } };
  }
  return openFile(p12, password, options);
}

async function openFile(p12: Uint8Array, password: string, options: RestoreFileOptions = {}): Promise<OpenResult> {
  try {
    // pkijs loads only when a learner backs up or restores.
    const { importNkpBackup } = await loadNkpBackup();
    return { contents: await importNkpBackup(p12, password, options) };
  } catch (error) {
    return { error };
  }
}

/**
 * "Add > Restore from backup" with the file openBackupFile opened: nothing changes unless it opened and holds an NKP
 * key. `tpmOnly` sets "Use key provider only with TPM protected ESXi hosts" (default: as the backup says).
 */
export async function restoreBackup(rt: LabRuntime, file: OpenedBackup, tpmOnly?: boolean): Promise<string> {
  rt.requirePrivilege('Cryptographer.ManageKeyServers');
  const vc = rt.requireVcenter();
  const opened = 'unopened' in file ? await openFile(file.unopened.p12, file.unopened.password) : file;
  if ('error' in opened) {
    const { error } = opened;
    if (error instanceof KeylabCryptoError) refuse(error.code, `Cannot restore the key provider: ${error.message}`);
    throw error;
  }
  const { contents } = opened;
  // The name comes from the file: held to the same limit as a name typed in "Add".
  requireProviderName(contents.providerName);
  const existing = rt.provider(contents.providerName);
  if (existing) {
    const same = existing.kind === 'native' && existing.keyId === contents.keyId;
    refuse(
      'PROVIDER_EXISTS',
      `A key provider named ${contents.providerName} already exists in vCenter ${vc.name}. ${
        same
          ? tpmOnly !== undefined && existing.tpmOnly !== tpmOnly
            ? `It is the one in this backup (same key ID). To change “Use key provider only with TPM protected ESXi hosts”, remove it (Key Providers > Remove ${contents.providerName}…), then restore it again with the option ${tpmOnly ? 'ticked' : 'unticked'}.`
            : 'It is the one in this backup (same key ID): there is nothing to restore.'
          : `It is not the one in this backup (key ID ${contents.keyId}): remove it first (Key Providers > Remove ${contents.providerName}…), then restore.`
      }`,
    );
  }
  const id = contents.providerName;
  await putKey(rt.db, { id: vcenterKdkRow(id), owner: VCENTER_OWNER, key: contents.kdk, meta: { providerId: id, keyId: contents.keyId } });
  const provider: NativeProviderRecord = {
    kind: 'native',
    id,
    name: id,
    keyId: contents.keyId,
    tpmOnly: tpmOnly ?? contents.tpmOnly,
    fingerprint: await keyFingerprint(contents.kdk),
  };
  rt.addProvider(provider);
  // A provider restored from its backup is backed up: it is usable at once.
  rt.providerRef(id)?.send({ type: 'provider.backedUp' });
  if (rt.requireVcenter().defaultProviderId === null) rt.vcenterRef().send({ type: 'provider.defaultSet', providerId: id });
  const tpmNote = provider.tpmOnly === contents.tpmOnly ? '' : provider.tpmOnly ? ' now used only with TPM-protected ESXi hosts' : ', now usable on hosts without a TPM too';
  rt.logCrypto('ImportKeyProvider', contents.keyId, id, `Native Key Provider ${id} restored from backup (key ID ${contents.keyId})${tpmNote}.`);
  await pushKdksToHosts(rt);
  const reported = await addHostKeysToDatabase(rt);
  // VMs locked for want of this provider stay locked until the administrator unlocks them, as in vSphere; their lock
  // now says that their key is back (it named what was wrong before). Matched by the KDK's key ID, not the name: a
  // backup of another KDK under this name opens none of them.
  const vms = rt.vmRefs().map((r) => r.getSnapshot().context);
  const unlockable = vms.filter((vm) => vm.locked && usesProviderKeys(vm, provider));
  for (const vm of unlockable) {
    rt.vmRef(vm.id).send({
      type: 'vm.locked',
      reason: vm.locked!.reason,
      message: `vCenter can serve its key again: ${id} was restored from its backup (key ID ${contents.keyId}). Unlock VM, or enable host encryption mode on its host, to use it again.`,
    });
  }
  const others = vms.filter((vm) => namesProviderOnly(vm, provider) && !!(vm.homeEncryption ?? vm.encryption)?.kdkKeyId);
  return (
    `Native Key Provider ${id} restored with key ID ${contents.keyId}${tpmNote}.${reported ? ` ${reported} key(s) reported by hosts into the key database.` : ''}` +
    (unlockable.length ? ` Locked VM(s) with its keys: ${unlockable.map((vm) => vm.name).join(', ')}; unlock them to use them again.` : '') +
    (others.length
      ? ` Not theirs: ${others.map((vm) => vm.name).join(', ')} name ${id} in their files, but with another KDK (key ID ${listKdks(others)}); this backup derives none of their keys. Remove ${id} and restore the backup with that key ID.`
      : '')
  );
}

/** The KDK key IDs VMs' files name, each once. */
function listKdks(vms: { encryption: { kdkKeyId?: string | null } | null; homeEncryption?: { kdkKeyId?: string | null } | null }[]): string {
  return [...new Set(vms.map((vm) => (vm.homeEncryption ?? vm.encryption)?.kdkKeyId).filter((k): k is string => !!k))].join(', ');
}
