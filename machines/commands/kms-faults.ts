// A KMS node failing, coming back, or lost for good: the world, not a vCenter task (these run outside the command
// queue). A node sends its keys to its peers only while it is up, so each change of its state tells its peers what
// happens to the copies still on their way from it: paused while it is down or hung, resumed when it is back, and
// never delivered when it is lost for good, which takes with it every key that only it held.
import { deleteKey, deleteKeysOf } from '@/lib/storage';
import { kmsKeyRow, kmsOwner } from '../keys/key-vault-ids';
import { EVENT } from '../session/lab-event-ids';
import type { LabRuntime } from '../session/lab-runtime';

export type KmsFault = 'down' | 'hang' | 'restore';

/** The fault as the KMS node's actor hears it: a fact, not an order. */
const KMS_FAULT_EVENT = { down: 'kms.wentDown', hang: 'kms.hung', restore: 'kms.restored' } as const;

const FAULT_TEXT = {
  down: 'is down: connections are refused at once',
  hang: 'hangs: it accepts connections but never answers',
  restore: 'answers again',
} as const;

/** Every node that has a copy of a key from `kmsId` still on its way (whatever the peer lists say today). */
function receivers(rt: LabRuntime, kmsId: string): string[] {
  return rt
    .kmsRefs()
    .map((ref) => ref.getSnapshot().context)
    .filter((c) => c.id !== kmsId && c.keys.some((k) => k.from === kmsId && k.availableAt > rt.clock.now()))
    .map((c) => c.id);
}

export function kmsFaultCommand(rt: LabRuntime, kmsId: string, fault: KmsFault): string {
  const node = rt.kms(kmsId);
  const now = rt.clock.now();
  const wasUp = node.status === 'up';
  const peers = receivers(rt, kmsId);
  rt.kmsRef(kmsId).send({ type: KMS_FAULT_EVENT[fault] });
  let held = '';
  if (wasUp && fault !== 'restore') {
    for (const id of peers) rt.kmsRef(id).send({ type: 'kms.replicationPaused', fromKmsId: kmsId, at: now });
    if (peers.length > 0) held = ` Keys it had not sent yet stay on it alone until it is up again (${peers.join(', ')} wait for them).`;
  }
  if (!wasUp && fault === 'restore') {
    for (const id of peers) {
      rt.kmsRef(id).send({ type: 'kms.replicationResumed', fromKmsId: kmsId, at: now });
      const next = Math.min(...rt.kms(id).keys.filter((k) => k.from === kmsId && k.availableAt > now).map((k) => k.availableAt));
      if (Number.isFinite(next)) rt.later(() => rt.bump(), next - now);
    }
    if (peers.length > 0) held = ` It goes on sending the keys it had not replicated yet to ${peers.join(', ')}.`;
  }
  const text = `KMS node ${node.name} ${FAULT_TEXT[fault]}.`;
  rt.log({ eventTypeId: EVENT.labKmsFault, severity: fault === 'restore' ? 'info' : 'warning', user: 'lab', objectId: kmsId, message: text + held });
  return text + held;
}

/**
 * The node is gone for good (appliance and disk): its keys go with it, and the copies it had not sent yet never
 * arrive. A key that only it held is gone from the whole cluster (KeyStateMissingInKMS for ever).
 */
export async function loseKmsCommand(rt: LabRuntime, kmsId: string): Promise<string> {
  const node = rt.kms(kmsId);
  const now = rt.clock.now();
  const peers = receivers(rt, kmsId);
  const unsent = new Map<string, string[]>();
  for (const id of peers) {
    unsent.set(id, rt.kms(id).keys.filter((k) => k.from === kmsId && k.availableAt > now).map((k) => k.keyId));
  }
  // Keys first, then the records that name them: a crash in between leaves records whose keys KMIP Get cannot find.
  await deleteKeysOf(rt.db, kmsOwner(kmsId));
  for (const [id, keyIds] of unsent) for (const keyId of keyIds) await deleteKey(rt.db, kmsKeyRow(id, keyId));
  for (const id of peers) rt.kmsRef(id).send({ type: 'kms.replicationLost', fromKmsId: kmsId, at: now });
  rt.kmsRef(kmsId).send({ type: 'kms.lost' });
  const gone = [...new Set([...unsent.values()].flat())];
  const onlyThere = node.keys.filter((k) => !rt.kmsRefs().some((ref) => ref.getSnapshot().context.id !== kmsId && ref.getSnapshot().context.keys.some((p) => p.keyId === k.keyId)));
  const lostKeys = [...new Set([...gone, ...onlyThere.map((k) => k.keyId)])];
  const message = `KMS node ${node.name} is lost for good: its disk and every key on it are gone.${
    lostKeys.length > 0
      ? ` ${lostKeys.length} key(s) had not reached any other node and are gone from the cluster: ${lostKeys.join(', ')}.`
      : ' Every key it held had already reached another node.'
  }`;
  rt.log({ eventTypeId: EVENT.labKmsFault, severity: lostKeys.length > 0 ? 'error' : 'warning', user: 'lab', objectId: kmsId, message });
  return message;
}
