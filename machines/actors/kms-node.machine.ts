// A KMIP server (one node of a standard key provider's KMS cluster): its keys by ID, its peers, and its faults.
//
// The key material lives in the key vault (owner `kms:<id>`); this actor keeps what a KMIP client can learn about each
// key (state, creation time, fingerprint) and when a replicated key becomes visible on this node. A node sends its
// keys to its peers only while it is up: a copy on its way from a node that goes down or hangs waits (its remaining
// lag kept) until that node is up again, and is never delivered if the node is lost for good.
import { assign, setup } from 'xstate';
import type { KmsKeyState } from '../lab-types';

/** `availableAt` of a copy whose sender is not up: it arrives only once the sender is back. */
export const REPLICATION_PAUSED = Number.MAX_SAFE_INTEGER;

export interface KmsKeyRecord {
  keyId: string;
  state: KmsKeyState;
  createdAt: number;
  fingerprint: string;
  /** Lab time at which the key is present on this node (later than createdAt on a peer: replication lag). */
  availableAt: number;
  /** On a copy replicated from a peer: the node that sends it (absent on the node that created the key). */
  from?: string;
  /** While the sender is not up: the lag still to run once it is (availableAt is then REPLICATION_PAUSED). */
  pausedMs?: number;
}

export interface KmsNodeContext {
  id: string;
  name: string;
  address: string;
  port: number;
  peers: string[];
  replicationLagMs: number;
  keys: KmsKeyRecord[];
}

export type KmsNodeEvent =
  | { type: 'kms.wentDown' }
  | { type: 'kms.hung' }
  | { type: 'kms.restored' }
  /** The node and its disk are gone for good: every key it held goes with it. */
  | { type: 'kms.lost' }
  | { type: 'kms.keyAdded'; key: KmsKeyRecord }
  | { type: 'kms.keysAdded'; keys: KmsKeyRecord[] }
  | { type: 'kms.keyStateChanged'; keyId: string; state: KmsKeyState }
  | { type: 'kms.peersSet'; peers: string[] }
  /** The sender of copies still on their way here stopped answering at `at`. */
  | { type: 'kms.replicationPaused'; fromKmsId: string; at: number }
  /** The sender is up again at `at`: its copies arrive after the lag they still had. */
  | { type: 'kms.replicationResumed'; fromKmsId: string; at: number }
  /** The sender was lost for good: the copies it had not sent yet never arrive. */
  | { type: 'kms.replicationLost'; fromKmsId: string; at: number };

export type KmsNodeInput = KmsNodeContext;

/** A copy from `from` that has not arrived by `at` (on its way, or waiting for its sender). */
const inFlight = (k: KmsKeyRecord, from: string, at: number) => k.from === from && k.availableAt > at;

export const kmsNodeMachine = setup({
  types: {} as { context: KmsNodeContext; events: KmsNodeEvent; input: KmsNodeInput },
  actions: {
    addKey: assign({
      keys: ({ context, event }) =>
        event.type === 'kms.keyAdded' && !context.keys.some((k) => k.keyId === event.key.keyId)
          ? [...context.keys, event.key]
          : context.keys,
    }),
    addKeys: assign({
      keys: ({ context, event }) => {
        if (event.type !== 'kms.keysAdded') return context.keys;
        const known = new Set(context.keys.map((k) => k.keyId));
        const added = event.keys.filter((k) => !known.has(k.keyId) && (known.add(k.keyId), true));
        return added.length > 0 ? [...context.keys, ...added] : context.keys;
      },
    }),
    setKeyState: assign({
      keys: ({ context, event }) =>
        event.type === 'kms.keyStateChanged'
          ? context.keys.map((k) => (k.keyId === event.keyId ? { ...k, state: event.state } : k))
          : context.keys,
    }),
    setPeers: assign({ peers: ({ context, event }) => (event.type === 'kms.peersSet' ? event.peers : context.peers) }),
    pauseReplication: assign({
      keys: ({ context, event }) =>
        event.type !== 'kms.replicationPaused'
          ? context.keys
          : context.keys.map((k) =>
              inFlight(k, event.fromKmsId, event.at) && k.pausedMs === undefined
                ? { ...k, pausedMs: k.availableAt - event.at, availableAt: REPLICATION_PAUSED }
                : k,
            ),
    }),
    resumeReplication: assign({
      keys: ({ context, event }) =>
        event.type !== 'kms.replicationResumed'
          ? context.keys
          : context.keys.map((k) => {
              if (k.from !== event.fromKmsId || k.pausedMs === undefined) return k;
              const { pausedMs, ...rest } = k;
              return { ...rest, availableAt: event.at + pausedMs };
            }),
    }),
    dropUnsent: assign({
      keys: ({ context, event }) => (event.type === 'kms.replicationLost' ? context.keys.filter((k) => !inFlight(k, event.fromKmsId, event.at)) : context.keys),
    }),
    forgetAllKeys: assign({ keys: () => [] }),
  },
}).createMachine({
  id: 'kmsNode',
  context: ({ input }) => ({
    id: input.id,
    name: input.name,
    address: input.address,
    port: input.port,
    peers: input.peers,
    replicationLagMs: input.replicationLagMs,
    keys: input.keys,
  }),
  // A scenario's starting fault is applied by the world builder with kms.down / kms.hang right after spawning.
  initial: 'up',
  // Copies arrive whatever this node's state (a down node's disk gets them once it is back); what decides whether
  // they are sent is the sender's state, which the lab tells this node with kms.replicationPaused / Resumed / Lost.
  on: {
    'kms.keyAdded': { actions: 'addKey' },
    'kms.keysAdded': { actions: 'addKeys' },
    'kms.keyStateChanged': { actions: 'setKeyState' },
    'kms.peersSet': { actions: 'setPeers' },
    'kms.replicationPaused': { actions: 'pauseReplication' },
    'kms.replicationResumed': { actions: 'resumeReplication' },
    'kms.replicationLost': { actions: 'dropUnsent' },
    'kms.lost': { target: '.lost' },
  },
  states: {
    /** Answers KMIP requests. */
    up: { on: { 'kms.wentDown': 'down', 'kms.hung': 'hung' } },
    /** Connection refused at once: the client moves to the next node immediately. */
    down: { on: { 'kms.restored': 'up', 'kms.hung': 'hung' } },
    /** Accepts the connection but never answers: the client waits for its timeout. */
    hung: { on: { 'kms.restored': 'up', 'kms.wentDown': 'down' } },
    /** Gone for good (its disk with it): refuses every connection and holds nothing; nothing brings it back. */
    lost: {
      entry: 'forgetAllKeys',
      on: {
        'kms.keyAdded': {},
        'kms.keysAdded': {},
        'kms.keyStateChanged': {},
        'kms.replicationPaused': {},
        'kms.replicationResumed': {},
        'kms.replicationLost': {},
        'kms.lost': {},
      },
    },
  },
});

export type KmsNodeStatus = 'up' | 'down' | 'hung' | 'lost';
