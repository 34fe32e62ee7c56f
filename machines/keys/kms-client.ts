// vCenter's KMIP client for a standard key provider: Create (+Activate) and Get against an ordered list of KMS nodes.
//
// As the seeds describe it: a node that refuses the connection (down) is skipped at once; a node that accepts but
// never answers (hung) costs a 60-second wait of lab time (a kms-wait actor, visible in the view) before the next node
// is tried; when no node answers the operation fails and nothing changes. Newer vSphere documentation describes
// round-robin across nodes instead; the lab follows the ordered list and says so in its explanations.
import { waitFor } from 'xstate';
import { generateKek, keyFingerprint } from '@/lib/crypto/keys';
import { getKey } from '@/lib/storage';
import { KeyUnavailable } from './key-unavailable';
import { kmsKeyRow, kmsOwner } from './key-vault-ids';
import { KMS_TIMEOUT_MS } from '../actors/kms-wait.machine';
import { EVENT } from '../session/lab-event-ids';
import type { LabRuntime } from '../session/lab-runtime';
import type { StandardProviderRecord } from '../actors/vcenter.machine';

type NodeOutcome = 'refused' | 'timeout' | 'notFound';

/** Spawns a visible wait for a hung node and resolves when lab time has reached its deadline. */
async function waitOnHungNode(rt: LabRuntime, provider: StandardProviderRecord, kmsId: string, skipped: string[]): Promise<void> {
  const n = rt.root.getSnapshot().context.nextWaitId;
  rt.root.send({ type: 'lab.waitIdTaken' });
  const id = `w${n}`;
  const deadline = rt.clock.now() + KMS_TIMEOUT_MS;
  const node = rt.kms(kmsId);
  rt.root.send({
    type: 'lab.spawn',
    requests: [
      {
        src: 'kmsWait',
        input: {
          id,
          label: `vCenter is waiting for ${node.name} (${node.address}:${node.port}) of ${provider.name} to answer`,
          kmsId,
          providerId: provider.id,
          deadline,
          command: rt.currentCommand,
          skipKmsIds: [...skipped, kmsId],
        },
      },
    ],
  });
  rt.log({
    eventTypeId: EVENT.labKmsWait,
    severity: 'warning',
    objectId: kmsId,
    message: `${node.name} accepted the connection but does not answer; vCenter waits ${KMS_TIMEOUT_MS / 1000} s before trying the next KMS node.`,
  });
  const ref = rt.root.getSnapshot().children[`wait:${id}`];
  if (!ref) throw new Error(`The KMS wait ${id} was not spawned.`);
  rt.waiting++;
  rt.onWaitingChanged();
  try {
    await waitFor(ref, (s) => s.status === 'done');
  } finally {
    rt.waiting--;
    rt.onWaitingChanged();
    // A lab closed during the wait has stopped its actors already.
    if (rt.root.getSnapshot().status === 'active') rt.root.send({ type: 'lab.stopChild', systemId: `wait:${id}` });
  }
}

/**
 * Runs `op` on the first node that answers. `op` returns undefined when the node answered but has no such key, and
 * the next node is asked (a key not replicated there yet). Throws KeyUnavailable when no node could serve it.
 */
async function withFailover<T>(
  rt: LabRuntime,
  provider: StandardProviderRecord,
  what: string,
  op: (kmsId: string) => Promise<T | undefined>,
): Promise<T> {
  const outcomes: { kmsId: string; outcome: NodeOutcome }[] = [];
  const skipped = [...rt.skipKmsIds];
  for (const kmsId of provider.kmsNodeIds) {
    if (rt.skipKmsIds.includes(kmsId)) {
      outcomes.push({ kmsId, outcome: 'timeout' });
      continue;
    }
    const status = rt.kms(kmsId).status;
    if (status === 'down') {
      outcomes.push({ kmsId, outcome: 'refused' });
      skipped.push(kmsId);
      rt.log({ eventTypeId: EVENT.labKmsFault, severity: 'warning', objectId: kmsId, message: `${what}: connection to ${kmsId} refused; trying the next KMS node.` });
      continue;
    }
    if (status === 'hung') {
      await waitOnHungNode(rt, provider, kmsId, skipped);
      outcomes.push({ kmsId, outcome: 'timeout' });
      skipped.push(kmsId);
      continue;
    }
    const result = await op(kmsId);
    if (result !== undefined) return result;
    outcomes.push({ kmsId, outcome: 'notFound' });
  }
  const summary = outcomes
    .map(({ kmsId, outcome }) =>
      outcome === 'refused' ? `${kmsId}: connection refused` : outcome === 'timeout' ? `${kmsId}: no answer in 60 s` : `${kmsId}: key not found`,
    )
    .join('; ');
  if (outcomes.some((o) => o.outcome === 'notFound')) {
    throw new KeyUnavailable('KeyStateMissingInKMS', `${what} failed: the key is not on any reachable KMS node of ${provider.name} (${summary}).`);
  }
  rt.log({ eventTypeId: EVENT.kmsUnreachable, severity: 'error', objectId: provider.id, message: `Key provider ${provider.name} is unreachable (${summary}).` });
  throw new KeyUnavailable(
    'KeyStateClusterUnreachable',
    `${what} failed: cannot connect to any KMS node of key provider ${provider.name} (${summary}). Nothing was changed.`,
  );
}

/** KMIP Create + Activate of an AES-256 key on one node, replicated to its peers after the replication lag. */
export async function createKeyOnNode(
  rt: LabRuntime,
  kmsId: string,
  peers: string[],
  opts: { replicated?: boolean } = {},
): Promise<{ keyId: string; key: CryptoKey }> {
  return (await createKeysOnNode(rt, kmsId, peers, 1, opts))[0]!;
}

/**
 * `count` keys created on one node as createKeyOnNode would, one by one, but stored (on the node and its peers) in one
 * key-vault transaction and recorded on each node with one event.
 */
export async function createKeysOnNode(
  rt: LabRuntime,
  kmsId: string,
  peers: string[],
  count: number,
  opts: { replicated?: boolean } = {},
): Promise<{ keyId: string; key: CryptoKey }[]> {
  const keyIds = rt.newIds(count);
  const created = await Promise.all(
    keyIds.map(async (keyId) => {
      const key = await generateKek();
      return { keyId, key, fingerprint: await keyFingerprint(key) };
    }),
  );
  const now = rt.clock.now();
  const node = rt.kms(kmsId);
  const targets = [kmsId, ...peers.filter((p) => p !== kmsId)];
  await rt.vault.put(targets.flatMap((id) => created.map(({ keyId, key }) => ({ id: kmsKeyRow(id, keyId), owner: kmsOwner(id), key }))));
  for (const id of targets) {
    // A key of the starting world was created long before the lab began: already everywhere.
    const availableAt = id === kmsId || opts.replicated ? now : now + node.replicationLagMs;
    const keys = created.map(({ keyId, fingerprint }) => ({ keyId, state: 'Active' as const, createdAt: now, fingerprint, availableAt }));
    rt.kmsRef(id).send({ type: 'kms.keysAdded', keys });
    if (availableAt > now) rt.later(() => rt.bump(), availableAt - now);
  }
  return created.map(({ keyId, key }) => ({ keyId, key }));
}

/** vCenter asks the provider's nodes, in order, to create `count` keys (one KMIP request each, answered together). */
export function kmsCreateMany(
  rt: LabRuntime,
  provider: StandardProviderRecord,
  count: number,
): Promise<{ keys: { keyId: string; key: CryptoKey }[]; kmsId: string }> {
  return withFailover(rt, provider, `Creating ${count === 1 ? 'a key' : `${count} keys`} on ${provider.name}`, async (kmsId) => ({
    keys: await createKeysOnNode(rt, kmsId, provider.kmsNodeIds, count),
    kmsId,
  }));
}

/** vCenter asks the provider's nodes, in order, to create a key. */
export function kmsCreate(rt: LabRuntime, provider: StandardProviderRecord): Promise<{ keyId: string; key: CryptoKey; kmsId: string }> {
  return withFailover(rt, provider, `Creating a key on ${provider.name}`, async (kmsId) => ({
    ...(await createKeyOnNode(rt, kmsId, provider.kmsNodeIds)),
    kmsId,
  }));
}

/** vCenter asks the provider's nodes, in order, for a key by ID (KMIP Get). */
export function kmsGet(rt: LabRuntime, provider: StandardProviderRecord, keyId: string): Promise<CryptoKey> {
  return withFailover(rt, provider, `Getting key ${keyId} from ${provider.name}`, async (kmsId) => {
    if (!usableKeyOnNode(rt, kmsId, keyId)) return undefined;
    const row = await getKey(rt.db, kmsKeyRow(kmsId, keyId));
    return row?.key;
  });
}

/** KMIP Locate by key ID: true when a node of the provider holds the key and it is usable (Active). */
export function kmsLocate(rt: LabRuntime, provider: StandardProviderRecord, keyId: string): Promise<true> {
  return withFailover(rt, provider, `Locating key ${keyId} on ${provider.name}`, async (kmsId) =>
    usableKeyOnNode(rt, kmsId, keyId) ? (true as const) : undefined,
  );
}

/**
 * Whether this node holds the key now (false: ask the next node); throws when it holds it but it is not Active. A
 * destroyed key is as good as absent: KMIP Get answers Item Not Found.
 */
function usableKeyOnNode(rt: LabRuntime, kmsId: string, keyId: string): boolean {
  const record = rt.kms(kmsId).keys.find((k) => k.keyId === keyId);
  if (!record || record.availableAt > rt.clock.now() || record.state === 'Destroyed') return false;
  if (record.state !== 'Active') {
    throw new KeyUnavailable('KeyStateNotActiveOrEnabled', `Key ${keyId} on ${kmsId} is ${record.state}, not Active: it cannot be used.`);
  }
  return true;
}
