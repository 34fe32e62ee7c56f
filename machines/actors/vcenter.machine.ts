// vCenter Server: inventory, key providers (and the default), the key database, users and roles. It can be stopped
// (database kept), destroyed (database lost) and a new, empty one deployed (generation + 1).
import { assign, setup } from 'xstate';
import type { VsphereVersion } from '@/lib/scenario/vsphere-version';
import type { VCenterView } from '../lab-types';
import { ADMINISTRATOR, defaultUsers } from '../commands/privileges';

export interface StandardProviderRecord {
  kind: 'standard';
  /** vSphere names a key provider by its name, which is also what VM files record: id = name. */
  id: string;
  name: string;
  kmsNodeIds: string[];
  /** vSphere 7.0 and later: each KMS server's I/O timeout in seconds (KmipServerInfo.timeout); unset = the lab's assumption. */
  serverTimeoutS?: number;
  /** vSphere 7.0 and later: where the next key request starts in the node list (round-robin). */
  nextNodeIndex?: number;
}

/**
 * What vCenter's database keeps of a Native Key Provider (its actor's context). Whether it is backed up is the actor's
 * state, and which hosts hold its KDK is in the hosts' memory: neither is kept here as well.
 */
export interface NativeProviderRecord {
  kind: 'native';
  id: string;
  name: string;
  /** The KDK's key ID (a UUID). */
  keyId: string;
  tpmOnly: boolean;
  /** The KDK's fingerprint (never its bytes), for the key map. */
  fingerprint: string;
}

export type ProviderRecord = StandardProviderRecord | NativeProviderRecord;

/** A Native Key Provider as the lab reads it: its record, and whether it is backed up (its actor's state). */
export interface NativeProvider extends NativeProviderRecord {
  backedUp: boolean;
}

export type Provider = StandardProviderRecord | NativeProvider;

/**
 * vCenter's key database: which key IDs it knows, of which provider, for which VM. Key IDs only, for both kinds of
 * provider: a standard provider's KEK stays on the KMS, an NKP's is derived again from the KDK and this ID.
 */
export type KeyDbEntry = VCenterView['keyDatabase'][number];

/** vCenter's database as its actor keeps it: the view's vCenter, with its key providers by id (each an actor). */
export interface VcenterContext extends Omit<VCenterView, 'keyProviders' | 'version'> {
  /** The vSphere release; absent in labs saved before it was kept (they read as the default). */
  version?: VsphereVersion;
  /** The key providers configured, in the order they were added; each is a `provider:<id>` actor. */
  providerIds: string[];
}

export type VcenterEvent =
  | { type: 'vcenter.stopped' }
  | { type: 'vcenter.started' }
  | { type: 'vcenter.destroyed' }
  | { type: 'vcenter.deployed' }
  | { type: 'user.switched'; userName: string }
  | { type: 'vcenter.versionSet'; version: VsphereVersion }
  | { type: 'provider.added'; providerId: string }
  | { type: 'provider.defaultSet'; providerId: string | null }
  | { type: 'provider.removed'; providerId: string }
  | { type: 'keydb.put'; entries: KeyDbEntry[] }
  | { type: 'keydb.removed'; keyIds: string[] }
  | { type: 'inventory.hostAdded'; hostId: string }
  | { type: 'inventory.hostRemoved'; hostId: string }
  | { type: 'inventory.vmRegistered'; vmIds: string[] }
  | { type: 'inventory.vmUnregistered'; vmIds: string[] };

export type VcenterInput = Omit<VcenterContext, 'users' | 'currentUser' | 'keyDatabase' | 'registeredVmIds' | 'hostIds' | 'providerIds' | 'defaultProviderId'> &
  Partial<VcenterContext>;

export function emptyVcenter(input: VcenterInput): VcenterContext {
  const users = input.users ?? defaultUsers();
  return {
    hostIds: [],
    registeredVmIds: [],
    providerIds: [],
    defaultProviderId: null,
    keyDatabase: [],
    ...input,
    users,
    currentUser: input.currentUser ?? users[0]?.name ?? ADMINISTRATOR,
  };
}

const union = (list: string[], add: string[]) => [...list, ...add.filter((id) => !list.includes(id))];

export const vcenterMachine = setup({
  types: {} as { context: VcenterContext; events: VcenterEvent; input: VcenterInput },
}).createMachine({
  id: 'vcenter',
  context: ({ input }) => emptyVcenter(input),
  initial: 'running',
  states: {
    running: {
      on: {
        'vcenter.stopped': 'stopped',
        'vcenter.destroyed': 'destroyed',
        'vcenter.versionSet': { actions: assign({ version: ({ event }) => event.version }) },
        'user.switched': {
          guard: ({ context, event }) => context.users.some((u) => u.name === event.userName),
          actions: assign({ currentUser: ({ event }) => event.userName }),
        },
        'provider.added': { actions: assign({ providerIds: ({ context, event }) => union(context.providerIds, [event.providerId]) }) },
        'provider.defaultSet': { actions: assign({ defaultProviderId: ({ event }) => event.providerId }) },
        'provider.removed': {
          actions: assign({
            providerIds: ({ context, event }) => context.providerIds.filter((id) => id !== event.providerId),
            defaultProviderId: ({ context, event }) =>
              context.defaultProviderId === event.providerId ? null : context.defaultProviderId,
          }),
        },
        'keydb.put': {
          actions: assign({
            keyDatabase: ({ context, event }) => {
              const byId = new Map(context.keyDatabase.map((e) => [e.keyId, e]));
              for (const entry of event.entries) byId.set(entry.keyId, { ...byId.get(entry.keyId), ...entry });
              return [...byId.values()];
            },
          }),
        },
        'keydb.removed': {
          actions: assign({ keyDatabase: ({ context, event }) => context.keyDatabase.filter((e) => !event.keyIds.includes(e.keyId)) }),
        },
        'inventory.hostAdded': { actions: assign({ hostIds: ({ context, event }) => union(context.hostIds, [event.hostId]) }) },
        'inventory.hostRemoved': {
          actions: assign({ hostIds: ({ context, event }) => context.hostIds.filter((id) => id !== event.hostId) }),
        },
        'inventory.vmRegistered': {
          actions: assign({ registeredVmIds: ({ context, event }) => union(context.registeredVmIds, event.vmIds) }),
        },
        'inventory.vmUnregistered': {
          actions: assign({
            registeredVmIds: ({ context, event }) => context.registeredVmIds.filter((id) => !event.vmIds.includes(id)),
          }),
        },
      },
    },
    /** Powered off or unreachable: its database is intact and comes back with it. */
    stopped: { on: { 'vcenter.started': 'running', 'vcenter.destroyed': 'destroyed' } },
    /** The appliance and its database are gone. Only a new deployment helps. */
    destroyed: {
      entry: assign(({ context }) =>
        emptyVcenter({ id: context.id, name: context.name, generation: context.generation, datacenter: context.datacenter, cluster: context.cluster, version: context.version }),
      ),
      on: {
        'vcenter.deployed': {
          target: 'running',
          actions: assign(({ context }) =>
            // A new appliance of the same release (the lab redeploys what it had).
            emptyVcenter({ id: context.id, name: context.name, generation: context.generation + 1, datacenter: context.datacenter, cluster: context.cluster, version: context.version }),
          ),
        },
      },
    },
  },
});
