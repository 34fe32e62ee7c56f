// vCenter's KMIP client for a standard key provider: Create (+Activate), Get and Locate against the provider's KMS
// nodes, one function per KMIP operation over one failover loop (the seam where a real TTLV codec can plug in).
//
// Which node a request starts with and how long a silent node costs follow vCenter's vSphere version
// (kms-node-selection.ts): 6.5/6.7 always start at the top and wait a fixed 60 s; 7.0 and later take the nodes in turn
// and wait the server's I/O timeout. Either way a node that refuses the connection (down, or lost) is skipped at once,
// a node that accepts but never answers (hung) costs the wait in lab time (a kms-wait actor, visible in the view)
// before the next node is tried, and when no node answers the operation fails and nothing changes.
import { waitFor } from 'xstate';
import { DEFAULT_VSPHERE_VERSION } from '@/lib/scenario/vsphere-version';
import { generateKek, keyFingerprint } from '@/lib/crypto/keys';
import { getKey } from '@/lib/storage';
import { KeyUnavailable } from './key-unavailable';
import { kmsKeyRow, kmsOwner } from './key-vault-ids';
import { hungNodeWaitMs, nodeSelectionOf, requestOrder } from './kms-node-selection';
import { EVENT } from '../session/lab-event-ids';
import type { LabRuntime } from '../session/lab-runtime';
import type { StandardProviderRecord } from '../actors/vcenter.machine';

type NodeOutcome = 'refused' | 'timeout' | 'notFound' | 'destroyed';

/** What a node answers for a key it once had and no longer holds: KMIP Destroy left only its record. */
const DESTROYED = Symbol('destroyed');

/** Spawns a visible wait for a hung node and resolves when lab time has reached its deadline. */
async function waitOnHungNode(rt: LabRuntime, provider: StandardProviderRecord, kmsId: string, skipped: string[], timeoutMs: number): Promise<void> {
  const n = rt.root.getSnapshot().context.nextWaitId;
  rt.root.send({ type: 'lab.waitIdTaken' });
  const id = `w${n}`;
  const deadline = rt.clock.now() + timeoutMs;
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
          timeoutMs,
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
    message: `${node.name} accepted the connection but does not answer; vCenter waits ${timeoutMs / 1000} s before trying the next KMS node.`,
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
  op: (kmsId: string) => Promise<T | undefined | typeof DESTROYED>,
): Promise<T> {
  const outcomes: { kmsId: string; outcome: NodeOutcome }[] = [];
  const skipped = [...rt.skipKmsIds];
  const version = rt.vcenter()?.version ?? DEFAULT_VSPHERE_VERSION;
  const policy = nodeSelectionOf(version);
  const timeoutMs = hungNodeWaitMs(version, provider);
  const order = requestOrder(provider.kmsNodeIds, policy, provider.nextNodeIndex);
  // The turn is taken when the request starts, whichever node ends up answering it.
  if (policy === 'roundRobin') rt.providerRef(provider.id)?.send({ type: 'provider.kmsTurnTaken' });
  for (const kmsId of order) {
    if (rt.skipKmsIds.includes(kmsId)) {
      outcomes.push({ kmsId, outcome: 'timeout' });
      continue;
    }
    const status = rt.kms(kmsId).status;
    if (status === 'down' || status === 'lost') {
      outcomes.push({ kmsId, outcome: 'refused' });
      skipped.push(kmsId);
      rt.log({ eventTypeId: EVENT.labKmsFault, severity: 'warning', objectId: kmsId, message: `${what}: connection to ${kmsId} refused; trying the next KMS node.` });
      continue;
    }
    if (status === 'hung') {
      await waitOnHungNode(rt, provider, kmsId, skipped, timeoutMs);
      outcomes.push({ kmsId, outcome: 'timeout' });
      skipped.push(kmsId);
      continue;
    }
    const result = await op(kmsId);
    if (result === DESTROYED) {
      outcomes.push({ kmsId, outcome: 'destroyed' });
      continue;
    }
    if (result !== undefined) return result;
    outcomes.push({ kmsId, outcome: 'notFound' });
  }
  const summary = outcomes
    .map(({ kmsId, outcome }) =>
      outcome === 'refused'
        ? `${kmsId}: connection refused`
        : outcome === 'timeout'
          ? `${kmsId}: no answer in ${timeoutMs / 1000} s`
          : outcome === 'destroyed'
            ? `${kmsId}: key destroyed`
            : `${kmsId}: key not found`,
    )
    .join('; ');
  if (outcomes.some((o) => o.outcome === 'destroyed')) {
    throw new KeyUnavailable(
      'KeyStateMissingInKMS',
      `${what} failed: the key was destroyed on the KMS (KMIP Destroy): its material is gone from ${provider.name} for good (${summary}). Only a backup of the KMS taken before the destroy can bring it back.`,
    );
  }
  if (outcomes.some((o) => o.outcome === 'notFound')) {
    throw new KeyUnavailable('KeyStateMissingInKMS', `${what} failed: the key is not on any reachable KMS node of ${provider.name} (${summary}).`);
  }
  rt.log({ eventTypeId: EVENT.kmsUnreachable, severity: 'error', objectId: provider.id, message: `Key provider ${provider.name} is unreachable (${summary}).` });
  throw new KeyUnavailable(
    'KeyStateClusterUnreachable',
    `${what} failed: cannot connect to any KMS node of key provider ${provider.name} (${summary}). Nothing was changed.`,
  );
}

/**
 * KMIP Create + Activate of an AES-256 key on one node, replicated to its peers after the replication lag (while the
 * node stays up: see kms-node.machine.ts).
 */
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
  // A node lost for good receives nothing; the others hold the copy's bytes now, visible once it has arrived.
  const targets = [kmsId, ...peers.filter((p) => p !== kmsId && rt.kms(p).status !== 'lost')];
  await rt.vault.put(targets.flatMap((id) => created.map(({ keyId, key }) => ({ id: kmsKeyRow(id, keyId), owner: kmsOwner(id), key }))));
  for (const id of targets) {
    // A key of the starting world was created long before the lab began: already everywhere.
    const availableAt = id === kmsId || opts.replicated ? now : now + node.replicationLagMs;
    const from = id === kmsId ? {} : { from: kmsId };
    const keys = created.map(({ keyId, fingerprint }) => ({ keyId, state: 'Active' as const, createdAt: now, fingerprint, availableAt, ...from }));
    rt.kmsRef(id).send({ type: 'kms.keysAdded', keys });
    if (availableAt > now) rt.later(() => rt.bump(), availableAt - now);
  }
  return created.map(({ keyId, key }) => ({ keyId, key }));
}

/** vCenter asks the provider's nodes to create `count` keys (one KMIP request each, answered together). */
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

/** vCenter asks the provider's nodes to create a key (KMIP Create + Activate). */
export function kmsCreate(rt: LabRuntime, provider: StandardProviderRecord): Promise<{ keyId: string; key: CryptoKey; kmsId: string }> {
  return withFailover(rt, provider, `Creating a key on ${provider.name}`, async (kmsId) => ({
    ...(await createKeyOnNode(rt, kmsId, provider.kmsNodeIds)),
    kmsId,
  }));
}

/** vCenter asks the provider's nodes for a key by ID (KMIP Get). */
export function kmsGet(rt: LabRuntime, provider: StandardProviderRecord, keyId: string): Promise<CryptoKey> {
  return withFailover(rt, provider, `Getting key ${keyId} from ${provider.name}`, async (kmsId) => {
    const found = keyOnNode(rt, kmsId, keyId);
    if (found !== true) return found;
    const row = await getKey(rt.db, kmsKeyRow(kmsId, keyId));
    return row?.key;
  });
}

/** KMIP Locate by key ID: true when a node of the provider holds the key and it is usable (Active). */
export function kmsLocate(rt: LabRuntime, provider: StandardProviderRecord, keyId: string): Promise<true> {
  return withFailover(rt, provider, `Locating key ${keyId} on ${provider.name}`, async (kmsId) => keyOnNode(rt, kmsId, keyId));
}

/**
 * Whether this node holds the key now and it is usable: true; undefined when it does not hold it (ask the next node);
 * DESTROYED when only its record is left (KMIP Get answers Item Not Found). Throws when it holds it but it is not
 * Active (revoked: the material is there, but the KMS will not hand it out until its administrator reactivates it).
 */
function keyOnNode(rt: LabRuntime, kmsId: string, keyId: string): true | undefined | typeof DESTROYED {
  const record = rt.kms(kmsId).keys.find((k) => k.keyId === keyId);
  if (!record || record.availableAt > rt.clock.now()) return undefined;
  if (record.state === 'Destroyed') return DESTROYED;
  if (record.state !== 'Active') {
    throw new KeyUnavailable(
      'KeyStateNotActiveOrEnabled',
      `Key ${keyId} on ${kmsId} is ${record.state}, not Active: the KMS keeps it but will not hand it out. Ask the KMS administrator to reactivate (or restore) it; whether and how depends on the KMS product.`,
    );
  }
  return true;
}
