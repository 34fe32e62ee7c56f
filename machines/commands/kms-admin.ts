// What the KMS administrator does on the KMS itself (outside vCenter): KMIP Revoke and Destroy of a key. Both reach
// every node of the node's cluster (its peers). vCenter itself never destroys keys on a KMS. Their precondition
// (preconditions/providers.ts) refused a key the node does not have.
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
  rt.log({ eventTypeId: EVENT.labKmsFault, severity: 'warning', user: 'KMS administrator', objectId: kmsId, keyId, operation: 'Revoke', message: `Key ${keyId} revoked on ${nodes.join(', ')}: it is Deactivated and can no longer be used.` });
  return `Key ${keyId} revoked (Deactivated) on ${nodes.join(', ')}.`;
}

export async function destroyKeyCommand(rt: LabRuntime, kmsId: string, keyId: string): Promise<string> {
  const nodes = cluster(rt, kmsId, keyId);
  for (const id of nodes) {
    rt.kmsRef(id).send({ type: 'kms.keyStateChanged', keyId, state: 'Destroyed' });
    await deleteKey(rt.db, kmsKeyRow(id, keyId));
  }
  rt.log({ eventTypeId: EVENT.labKmsFault, severity: 'error', user: 'KMS administrator', objectId: kmsId, keyId, operation: 'Destroy', message: `Key ${keyId} destroyed on ${nodes.join(', ')}: its material is gone.` });
  return `Key ${keyId} destroyed on ${nodes.join(', ')}.`;
}
