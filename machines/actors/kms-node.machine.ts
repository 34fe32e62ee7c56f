// A KMIP server (one node of a standard key provider's KMS cluster): its keys by ID, its peers, and its faults.
//
// The key material lives in the key vault (owner `kms:<id>`); this actor keeps what a KMIP client can learn about each
// key (state, creation time, fingerprint) and when a replicated key becomes visible on this node.
import { assign, setup } from 'xstate';
import type { KmsKeyState } from '../lab-types';

export interface KmsKeyRecord {
  keyId: string;
  state: KmsKeyState;
  createdAt: number;
  fingerprint: string;
  /** Lab time at which the key is present on this node (later than createdAt on a peer: replication lag). */
  availableAt: number;
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
  | { type: 'kms.keyAdded'; key: KmsKeyRecord }
  | { type: 'kms.keysAdded'; keys: KmsKeyRecord[] }
  | { type: 'kms.keyStateChanged'; keyId: string; state: KmsKeyState }
  | { type: 'kms.peersSet'; peers: string[] };

export type KmsNodeInput = KmsNodeContext;

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
  // Keys are added and replicated whatever the node's state: a down node's disk still holds its keys.
  on: {
    'kms.keyAdded': { actions: 'addKey' },
    'kms.keysAdded': { actions: 'addKeys' },
    'kms.keyStateChanged': { actions: 'setKeyState' },
    'kms.peersSet': { actions: 'setPeers' },
  },
  states: {
    /** Answers KMIP requests. */
    up: { on: { 'kms.wentDown': 'down', 'kms.hung': 'hung' } },
    /** Connection refused at once: the client moves to the next node immediately. */
    down: { on: { 'kms.restored': 'up', 'kms.hung': 'hung' } },
    /** Accepts the connection but never answers: the client waits for its timeout. */
    hung: { on: { 'kms.restored': 'up', 'kms.wentDown': 'down' } },
  },
});

export type KmsNodeStatus = 'up' | 'down' | 'hung';
