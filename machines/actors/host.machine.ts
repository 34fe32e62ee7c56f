// An ESXi host: power, its connection to the current vCenter, its encryption mode, the keys in its RAM and its TPM.
//
// Key material sits in the key vault (owner `host:<id>:ram` for RAM, `tpm:<id>` for the TPM); this actor records which
// keys are there so the view and the rules can see them without touching IndexedDB.
import { assign, setup } from 'xstate';
import type { HostCryptoState } from '../lab-types';

export interface HostKeyRecord {
  keyId: string;
  level: 'KDK' | 'KEK';
  providerId: string;
  fingerprint: string;
  /** An NKP KEK: the key ID of the KDK it was derived from, which the host reports to a new vCenter with it. */
  kdkKeyId?: string;
}

export interface HostContext {
  id: string;
  name: string;
  hasTpm: boolean;
  connection: 'connected' | 'disconnected' | 'removed';
  cryptoState: HostCryptoState;
  ramKeys: HostKeyRecord[];
  tpmSealedKeys: HostKeyRecord[];
  runningVmIds: string[];
  /** How many times it has booted (a reboot is visible in the view through this and its events). */
  boots: number;
}

export type HostEvent =
  | { type: 'host.poweredOff' }
  | { type: 'host.poweredOn' }
  | { type: 'host.connected' }
  | { type: 'host.disconnected' }
  | { type: 'host.removed' }
  | { type: 'host.added' }
  | { type: 'host.ramKeyAdded'; key: HostKeyRecord }
  | { type: 'host.ramKeysAdded'; keys: HostKeyRecord[] }
  | { type: 'host.ramKeysForgotten'; keyIds: string[] }
  | { type: 'host.tpmSealed'; key: HostKeyRecord }
  | { type: 'host.tpmCleared' }
  | { type: 'host.cryptoStateSet'; cryptoState: HostCryptoState }
  | { type: 'host.vmStarted'; vmId: string }
  | { type: 'host.vmStopped'; vmId: string };

export type HostInput = Omit<HostContext, 'boots'> & { boots?: number };

const addUnique = (list: HostKeyRecord[], key: HostKeyRecord) =>
  list.some((k) => k.keyId === key.keyId) ? list : [...list, key];

const addAllUnique = (list: HostKeyRecord[], keys: HostKeyRecord[]) => {
  const known = new Set(list.map((k) => k.keyId));
  const added = keys.filter((k) => !known.has(k.keyId) && (known.add(k.keyId), true));
  return added.length > 0 ? [...list, ...added] : list;
};

export const hostMachine = setup({
  types: {} as { context: HostContext; events: HostEvent; input: HostInput },
  actions: {
    // RAM is memory: whatever was there is gone when the host stops, and so are its running VMs.
    loseRam: assign({ ramKeys: () => [], runningVmIds: () => [] }),
    countBoot: assign({ boots: ({ context }) => context.boots + 1 }),
    // vSphere: a host that had encryption mode disabled stays pendingIncapable until it reboots.
    settleCryptoState: assign({
      cryptoState: ({ context }) => (context.cryptoState === 'pendingIncapable' ? 'incapable' : context.cryptoState),
    }),
  },
}).createMachine({
  id: 'host',
  context: ({ input }) => ({ ...input, boots: input.boots ?? 1 }),
  initial: 'on',
  on: {
    'host.tpmSealed': {
      guard: ({ context }) => context.hasTpm,
      actions: assign({ tpmSealedKeys: ({ context, event }) => addUnique(context.tpmSealedKeys, event.key) }),
    },
    'host.tpmCleared': { actions: assign({ tpmSealedKeys: () => [] }) },
    'host.cryptoStateSet': { actions: assign({ cryptoState: ({ event }) => event.cryptoState }) },
    'host.connected': {
      guard: ({ context }) => context.connection === 'disconnected',
      actions: assign({ connection: 'connected' as const }),
    },
    'host.disconnected': {
      guard: ({ context }) => context.connection === 'connected',
      actions: assign({ connection: 'disconnected' as const }),
    },
    'host.removed': { actions: assign({ connection: 'removed' as const }) },
    'host.added': { actions: assign({ connection: 'connected' as const }) },
  },
  states: {
    on: {
      on: {
        'host.poweredOff': { target: 'off', actions: 'loseRam' },
        'host.ramKeyAdded': { actions: assign({ ramKeys: ({ context, event }) => addUnique(context.ramKeys, event.key) }) },
        'host.ramKeysAdded': { actions: assign({ ramKeys: ({ context, event }) => addAllUnique(context.ramKeys, event.keys) }) },
        'host.ramKeysForgotten': {
          actions: assign({ ramKeys: ({ context, event }) => context.ramKeys.filter((k) => !event.keyIds.includes(k.keyId)) }),
        },
        'host.vmStarted': {
          actions: assign({
            runningVmIds: ({ context, event }) =>
              context.runningVmIds.includes(event.vmId) ? context.runningVmIds : [...context.runningVmIds, event.vmId],
          }),
        },
        'host.vmStopped': {
          actions: assign({ runningVmIds: ({ context, event }) => context.runningVmIds.filter((id) => id !== event.vmId) }),
        },
      },
    },
    off: {
      on: { 'host.poweredOn': { target: 'on', actions: ['countBoot', 'settleCryptoState'] } },
    },
  },
});
