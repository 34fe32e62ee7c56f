// What the KMS administrator does on the KMS itself (outside vCenter): KMIP Revoke and Destroy of a key, and
// reactivating a revoked one. Each reaches every node of the node's cluster (its peers). vCenter itself never destroys
// keys on a KMS. Their preconditions (preconditions/providers.ts) refused a key the node does not have or whose state
// does not allow the act.
//
// Revoked and destroyed are not the same loss. A revoked key (Deactivated) keeps its material: the KMS will not hand
// it out, and vCenter reports KeyStateNotActiveOrEnabled, until the administrator makes it usable again. KMIP itself
// has no way from Deactivated back to Active; KMS products offer one (re-enable the key, or restore it from the KMS's
// own backup), so the lab models "Reactivate" as that product feature. A destroyed key's material is gone from every
// node: KMIP Get answers Item Not Found (KeyStateMissingInKMS), for good.
import { deleteKey } from '@/lib/storage';
import { kmsKeyRow } from '../keys/key-vault-ids';
import { EVENT } from '../session/lab-event-ids';
import type { LabRuntime } from '../session/lab-runtime';

function cluster(rt: LabRuntime, kmsId: string, keyId: string): string[] {
  const node = rt.kms(kmsId);
  return [kmsId, ...node.peers].filter((id) => rt.kms(id).keys.some((k) => k.keyId === keyId));
}

export function revokeKeyCommand(rt: LabRuntime, kmsId: string, keyId: string): string {
  const nodes = cluster(rt, kmsId, keyId);
  for (const id of nodes) rt.kmsRef(id).send({ type: 'kms.keyStateChanged', keyId, state: 'Deactivated' });
  rt.log({ eventTypeId: EVENT.labKmsFault, severity: 'warning', user: 'KMS administrator', objectId: kmsId, keyId, operation: 'Revoke', message: `Key ${keyId} revoked on ${nodes.join(', ')}: it is Deactivated and cannot be used; its material is kept, so the KMS administrator can reactivate it.` });
  return `Key ${keyId} revoked (Deactivated) on ${nodes.join(', ')}. Its material is kept: it can be reactivated.`;
}

export function reactivateKeyCommand(rt: LabRuntime, kmsId: string, keyId: string): string {
  const nodes = cluster(rt, kmsId, keyId);
  for (const id of nodes) rt.kmsRef(id).send({ type: 'kms.keyStateChanged', keyId, state: 'Active' });
  rt.log({ eventTypeId: EVENT.labKmsFault, severity: 'info', user: 'KMS administrator', objectId: kmsId, keyId, operation: 'Reactivate', message: `Key ${keyId} reactivated on ${nodes.join(', ')}: it is Active and can be used again (a KMS product feature: KMIP itself has no way back from Deactivated).` });
  return `Key ${keyId} is Active again on ${nodes.join(', ')}. A VM locked for it can now be unlocked.`;
}

export async function destroyKeyCommand(rt: LabRuntime, kmsId: string, keyId: string): Promise<string> {
  const nodes = cluster(rt, kmsId, keyId);
  for (const id of nodes) {
    rt.kmsRef(id).send({ type: 'kms.keyStateChanged', keyId, state: 'Destroyed' });
    await deleteKey(rt.db, kmsKeyRow(id, keyId));
  }
  rt.log({ eventTypeId: EVENT.labKmsFault, severity: 'error', user: 'KMS administrator', objectId: kmsId, keyId, operation: 'Destroy', message: `Key ${keyId} destroyed on ${nodes.join(', ')}: its material is gone; only a backup of the KMS taken before now could bring it back.` });
  return `Key ${keyId} destroyed on ${nodes.join(', ')}.`;
}
