// Key provider commands: add a standard provider over KMS nodes, add a Native Key Provider, set the default, remove.
// Their rules are checked before they run by their preconditions (preconditions/providers.ts).
import { generateKdk, keyFingerprint } from '@/lib/crypto/keys';
import { deleteKey, putKey } from '@/lib/storage';
import { VCENTER_OWNER, vcenterKdkRow } from '../keys/key-vault-ids';
import { EVENT } from '../session/lab-event-ids';
import type { LabRuntime } from '../session/lab-runtime';
import { usesProviderKeys } from '../view/provider-users';

/** vSphere makes the first key provider added the default. */
function defaultIfFirst(rt: LabRuntime, providerId: string): boolean {
  if (rt.requireVcenter().defaultProviderId !== null) return false;
  rt.vcenterRef().send({ type: 'provider.defaultSet', providerId });
  return true;
}

export function addStandardCommand(rt: LabRuntime, name: string, kmsNodeIds: string[]): string {
  const id = name.trim();
  rt.addProvider({ kind: 'standard', id, name: id, kmsNodeIds: [...kmsNodeIds] });
  for (const kmsId of kmsNodeIds) rt.kmsRef(kmsId).send({ type: 'kms.peersSet', peers: kmsNodeIds.filter((k) => k !== kmsId) });
  const isDefault = defaultIfFirst(rt, id);
  rt.logCrypto('AddKeyProvider', null, id, `Standard key provider ${id} added (KMS nodes ${kmsNodeIds.join(', ')}).`);
  return `Standard key provider ${id} added${isDefault ? ' and set as the default' : ''}. Trust between vCenter and the KMS is established.`;
}

export async function addNativeCommand(rt: LabRuntime, name: string, tpmOnly: boolean): Promise<string> {
  const id = name.trim();
  const kdk = await generateKdk();
  const keyId = rt.newId();
  await putKey(rt.db, { id: vcenterKdkRow(id), owner: VCENTER_OWNER, key: kdk, meta: { providerId: id, keyId } });
  const fingerprint = await keyFingerprint(kdk);
  rt.addProvider({ kind: 'native', id, name: id, keyId, tpmOnly, fingerprint });
  const isDefault = defaultIfFirst(rt, id);
  rt.logCrypto('AddNativeKeyProvider', keyId, id, `Native Key Provider ${id} added${tpmOnly ? ' (TPM-protected hosts only)' : ''}.`);
  rt.log({ eventTypeId: EVENT.kmsNotBackedUp, severity: 'warning', objectId: id, message: `Key provider ${id} requires backup.` });
  return `Native Key Provider ${id} added${isDefault ? ' as the default' : ''}. It cannot be used until it is backed up.`;
}

export function setDefaultCommand(rt: LabRuntime, providerId: string): string {
  // Its precondition refused a provider vCenter does not have.
  const provider = rt.provider(providerId)!;
  rt.vcenterRef().send({ type: 'provider.defaultSet', providerId });
  rt.logCrypto('SetDefaultKeyProvider', null, providerId, `Key provider ${providerId} is now the default.`);
  return `${provider.name} is now the default key provider.`;
}

export async function removeProviderCommand(rt: LabRuntime, providerId: string): Promise<string> {
  const vc = rt.requireVcenter();
  // Its precondition refused a provider vCenter does not have.
  const provider = rt.provider(providerId)!;
  rt.removeProvider(providerId);
  rt.vcenterRef().send({ type: 'keydb.removed', keyIds: vc.keyDatabase.filter((e) => e.providerId === providerId).map((e) => e.keyId) });
  if (provider.kind === 'native') await deleteKey(rt.db, vcenterKdkRow(providerId));
  rt.logCrypto('RemoveKeyProvider', provider.kind === 'native' ? provider.keyId : null, providerId, `Key provider ${providerId} removed.`);
  // Matched by key (an NKP's KDK, not its name); a vTPM's VM home key counts too: those VMs are locked just the same.
  const users = rt.vmRefs().filter((r) => usesProviderKeys(r.getSnapshot().context, provider)).length;
  return `Key provider ${provider.name} removed.${users ? ` ${users} VM(s) use its keys: they will be locked when a host needs those keys again.` : ''}`;
}
