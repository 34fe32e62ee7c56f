// An ESXi host: power, its connection to the current vCenter, its encryption mode, the keys in its RAM, and its
// encrypted configuration on the boot device (the KDKs it keeps across reboots, its key sealed by the TPM or lying
// beside it on the boot disk, locked when the TPM was cleared or replaced, and the recovery key that opens it then).
//
// Key material sits in the key vault (owner `host:<id>:ram` for RAM, `tpm:<id>` for the TPM's own key) and on the
// boot disk (keys/host-config.ts); this actor records which keys are where so the view and the rules can see them
// without touching IndexedDB.
import { assign, setup } from 'xstate';
import type { BootDiskCopyView, HostCryptoState } from '../lab-types';

export interface HostKeyRecord {
  keyId: string;
  level: 'KDK' | 'KEK';
  providerId: string;
  fingerprint: string;
  /** An NKP KEK: the key ID of the KDK it was derived from, which the host reports to a new vCenter with it. */
  kdkKeyId?: string;
  /** Only in a lab saved before the encrypted configuration: a KDK still sealed straight in the TPM (tpm:<host>:<keyId>). */
  legacyTpm?: true;
}

/** What the host's encrypted configuration holds and how it is protected (keys/host-config.ts does the crypto). */
export interface HostConfiguration {
  /** The KDKs kept in it: read back into RAM at every boot, with or without a TPM, with or without vCenter. */
  keys: HostKeyRecord[];
  /** Where its key is: sealed by the TPM 2.0, or on the boot disk beside the configuration (a host without a TPM). */
  protection: 'tpm' | 'bootDisk';
  /** The TPM no longer unseals the configuration key (cleared or replaced): the host cannot boot until it is recovered. */
  locked: boolean;
  /** The recovery key's ID as esxcli lists it (TPM hosts only; a new one at every install). */
  recoveryId: string | null;
  /** The recovery ID whose key the administrator recorded (saved off the host), or null. */
  keptRecoveryId: string | null;
  /** False only for a lab saved before hosts had a configuration, until it is written when the lab opens. */
  written: boolean;
}

export interface HostContext {
  id: string;
  name: string;
  hasTpm: boolean;
  connection: 'connected' | 'disconnected' | 'removed';
  cryptoState: HostCryptoState;
  ramKeys: HostKeyRecord[];
  configuration: HostConfiguration;
  runningVmIds: string[];
  /** The last copy of its boot disk an attacker made (the "Copy a host's boot disk" fault), or null. */
  bootDiskCopy: BootDiskCopyView | null;
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
  | { type: 'host.configurationWritten'; keys: HostKeyRecord[]; recoveryId: string | null }
  | { type: 'host.tpmCleared' }
  | { type: 'host.configurationRecovered' }
  | { type: 'host.recoveryKeyKept'; recoveryId: string }
  | { type: 'host.reinstalled'; recoveryId: string | null }
  | { type: 'host.bootDiskCopied'; copy: BootDiskCopyView }
  | { type: 'host.cryptoStateSet'; cryptoState: HostCryptoState }
  | { type: 'host.vmStarted'; vmId: string }
  | { type: 'host.vmStopped'; vmId: string };

export type HostInput = Omit<HostContext, 'boots' | 'configuration' | 'bootDiskCopy'> & {
  boots?: number;
  configuration?: HostConfiguration;
  bootDiskCopy?: BootDiskCopyView | null;
};

const addUnique = (list: HostKeyRecord[], key: HostKeyRecord) =>
  list.some((k) => k.keyId === key.keyId) ? list : [...list, key];

/** A configuration not yet written (a new host before its first boot is recorded, or a lab saved before there was one). */
export const unwrittenConfiguration = (hasTpm: boolean): HostConfiguration => ({
  keys: [],
  protection: hasTpm ? 'tpm' : 'bootDisk',
  locked: false,
  recoveryId: null,
  keptRecoveryId: null,
  written: false,
});

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
    // A fresh install: nothing kept, nothing in memory, no encryption mode; a new configuration with a new recovery key.
    reinstall: assign({
      ramKeys: () => [],
      runningVmIds: () => [],
      cryptoState: () => 'incapable' as const,
      configuration: ({ context, event }) => ({
        ...context.configuration,
        keys: [],
        locked: false,
        written: true,
        recoveryId: event.type === 'host.reinstalled' ? event.recoveryId : null,
      }),
    }),
    // vSphere: a host that had encryption mode disabled stays pendingIncapable until it reboots.
    settleCryptoState: assign({
      cryptoState: ({ context }) => (context.cryptoState === 'pendingIncapable' ? 'incapable' : context.cryptoState),
    }),
  },
}).createMachine({
  id: 'host',
  context: ({ input }) => ({
    ...input,
    boots: input.boots ?? 1,
    configuration: input.configuration ?? unwrittenConfiguration(input.hasTpm),
    bootDiskCopy: input.bootDiskCopy ?? null,
  }),
  initial: 'on',
  on: {
    'host.configurationWritten': {
      actions: assign({
        configuration: ({ context, event }) => ({ ...context.configuration, keys: event.keys, recoveryId: event.recoveryId, written: true }),
      }),
    },
    // The TPM's seeds are reset: it can no longer unseal the configuration key, which the archive still needs.
    'host.tpmCleared': {
      guard: ({ context }) => context.hasTpm,
      actions: assign({ configuration: ({ context }) => ({ ...context.configuration, locked: true }) }),
    },
    'host.configurationRecovered': { actions: assign({ configuration: ({ context }) => ({ ...context.configuration, locked: false }) }) },
    'host.recoveryKeyKept': { actions: assign({ configuration: ({ context, event }) => ({ ...context.configuration, keptRecoveryId: event.recoveryId }) }) },
    'host.reinstalled': { target: '.on', actions: ['reinstall', 'countBoot'] },
    'host.bootDiskCopied': { actions: assign({ bootDiskCopy: ({ event }) => event.copy }) },
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
