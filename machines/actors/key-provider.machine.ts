// A key provider configured in vCenter: a standard one (an ordered list of KMS nodes; vCenter keeps key IDs only) or a
// Native Key Provider (its KDK's ID, the TPM-only flag; backed up or not is its state). It belongs to vCenter's
// database: destroying vCenter stops it with everything else in that database.
import { assign, setup, type SnapshotFrom } from 'xstate';
import type { Provider, ProviderRecord } from './vcenter.machine';

export type KeyProviderEvent =
  | { type: 'provider.backedUp' }
  /** A standard provider's KMS nodes in a new order (the same nodes). */
  | { type: 'provider.kmsNodesOrdered'; kmsNodeIds: string[] }
  /** vSphere 7.0 and later: a key request went to the node whose turn it was; the next starts one further on. */
  | { type: 'provider.kmsTurnTaken' };

export const keyProviderMachine = setup({
  types: {} as { context: ProviderRecord; events: KeyProviderEvent; input: ProviderRecord },
  guards: {
    isStandard: ({ context }) => context.kind === 'standard',
  },
}).createMachine({
  id: 'keyProvider',
  context: ({ input }) => input,
  initial: 'configured',
  states: {
    configured: {
      always: [{ guard: 'isStandard', target: 'standard' }, { target: 'native.notBackedUp' }],
    },
    /** Keys come from the KMS nodes: in order (6.5/6.7) or in turn (7.0 and later), as vCenter's version says. */
    standard: {
      on: {
        'provider.kmsNodesOrdered': {
          actions: assign(({ context, event }) => (context.kind === 'standard' ? { ...context, kmsNodeIds: [...event.kmsNodeIds] } : context)),
        },
        'provider.kmsTurnTaken': {
          actions: assign(({ context }) =>
            context.kind === 'standard' ? { ...context, nextNodeIndex: ((context.nextNodeIndex ?? 0) + 1) % Math.max(1, context.kmsNodeIds.length) } : context,
          ),
        },
      },
    },
    native: {
      initial: 'notBackedUp',
      states: {
        /** "Key provider NAME requires backup.": it cannot be used yet (a restored one is backed up at once). */
        notBackedUp: {
          on: { 'provider.backedUp': 'backedUp' },
        },
        /** Usable; its status (Warning, Active) depends on which hosts hold the KDK. */
        backedUp: {},
      },
    },
  },
});

/** The provider as the lab reads it: its record, and for an NKP whether it is backed up, from its state. */
export function providerOf(snapshot: SnapshotFrom<typeof keyProviderMachine>): Provider {
  const record = snapshot.context;
  return record.kind === 'native' ? { ...record, backedUp: snapshot.matches({ native: 'backedUp' }) } : record;
}
