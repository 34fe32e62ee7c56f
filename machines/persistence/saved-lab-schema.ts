// The saved lab's shape (format 2): `{ format, now, root }`, root being the lab actor's persisted snapshot with one
// child per simulated thing. Checked on open so a damaged record is named part by part instead of failing in a page.
// zod/mini, like the scenario schema; objects are loose, so an optional part added later (lesson progress) still opens.
import * as z from 'zod/mini';

export const SAVE_FORMAT = 2;

const str = z.string();
const strings = z.array(z.string());
const num = z.number().check(z.refine(Number.isFinite, 'must be a number'));

/** An actor's persisted snapshot: XState's own fields, with this kind's state value and context. */
function actorSnapshot<V extends z.ZodMiniType, C extends z.ZodMiniType>(value: V, context: C) {
  // A finished KMS wait may be saved as done before the reloaded lab stops it.
  return z.looseObject({ status: z.enum(['active', 'done']), value, context });
}

function child<S extends string, V extends z.ZodMiniType, C extends z.ZodMiniType>(src: S, value: V, context: C) {
  return z.looseObject({ src: z.literal(src), systemId: z.optional(str), snapshot: actorSnapshot(value, context) });
}

const keyDbEntry = z.looseObject({ keyId: str, providerId: str, vmId: z.nullable(str), wrappedKek: z.optional(str) });
const user = z.looseObject({ name: str });

const vcenter = child(
  'vcenter',
  z.enum(['running', 'stopped', 'destroyed']),
  z.looseObject({
    id: str,
    name: str,
    generation: num,
    datacenter: str,
    cluster: str,
    hostIds: strings,
    registeredVmIds: strings,
    providerIds: strings,
    defaultProviderId: z.nullable(str),
    keyDatabase: z.array(keyDbEntry),
    users: z.array(user),
    currentUser: str,
  }),
);

const hostKey = z.looseObject({ keyId: str });
const hostConfiguration = z.looseObject({
  keys: z.array(hostKey),
  protection: z.enum(['tpm', 'bootDisk']),
  locked: z.boolean(),
  recoveryId: z.nullable(str),
  keptRecoveryId: z.nullable(str),
  written: z.boolean(),
});
const host = child(
  'host',
  z.enum(['on', 'off']),
  z.looseObject({
    id: str,
    name: str,
    hasTpm: z.boolean(),
    connection: z.enum(['connected', 'disconnected', 'removed']),
    cryptoState: z.enum(['incapable', 'prepared', 'safe', 'pendingIncapable']),
    ramKeys: z.array(hostKey),
    // A host saved before it had an encrypted configuration (tpmSealedKeys) gets one in saved-lab.ts's migration.
    configuration: hostConfiguration,
    runningVmIds: strings,
    boots: num,
  }),
);

const kmsNode = child(
  'kmsNode',
  z.enum(['up', 'down', 'hung', 'lost']),
  z.looseObject({
    id: str,
    name: str,
    address: str,
    port: num,
    peers: strings,
    replicationLagMs: num,
    keys: z.array(z.looseObject({ keyId: str })),
  }),
);

const datastore = child('datastore', z.unknown(), z.looseObject({ id: str, name: str, capacityBytes: num }));

const provider = child(
  'keyProvider',
  z.unknown(),
  z.union([
    z.looseObject({ kind: z.literal('standard'), id: str, name: str, kmsNodeIds: strings }),
    z.looseObject({
      kind: z.literal('native'),
      id: str,
      name: str,
      keyId: str,
      tpmOnly: z.boolean(),
      // Older saves also carry backedUp and hostsWithKdk: ignored (the state and the hosts' memory say so now).
      fingerprint: str,
    }),
  ]),
);

const unavailableReason = z.enum(['KeyStateMissingInCache', 'KeyStateClusterUnreachable', 'KeyStateMissingInKMS', 'KeyStateNotActiveOrEnabled', 'KeyStateManagedByNKP']);
const vm = child(
  'vm',
  z.union([z.literal('on'), z.looseObject({ off: z.enum(['idle', 'working', 'interrupted']) })]),
  z.looseObject({
    id: str,
    name: str,
    datastoreId: str,
    folder: str,
    hostId: z.nullable(str),
    registered: z.boolean(),
    encryption: z.nullable(
      z.looseObject({ providerId: str, providerName: str, providerKind: z.enum(['standard', 'native']), keyId: str, dekFingerprint: str }),
    ),
    locked: z.nullable(z.looseObject({ reason: unavailableReason, message: str })),
    vtpm: z.boolean(),
    snapshots: num,
    diskSizeBytes: num,
    operation: z.nullable(z.looseObject({ kind: z.enum(['encrypt', 'decrypt', 'rekeyDeep']), done: num, total: num, interrupted: z.boolean() })),
  }),
);

const kmsWait = child(
  'kmsWait',
  z.unknown(),
  z.looseObject({ id: z.union([str, num]), kmsId: str, providerId: str, deadline: num, skipKmsIds: strings }),
);

export const savedChildSchema = z.discriminatedUnion('src', [vcenter, host, kmsNode, datastore, provider, vm, kmsWait]);
export type SavedChild = z.infer<typeof savedChildSchema>;

const labEvent = z.looseObject({ id: num, time: num, eventTypeId: str, severity: str, message: str });

export const savedLabSchema = z.looseObject({
  format: z.literal(SAVE_FORMAT),
  now: num,
  root: z.looseObject({
    status: z.literal('active'),
    context: z.looseObject({
      labId: str,
      title: str,
      backups: z.array(z.looseObject({ providerId: str, fileName: str })),
      events: z.array(labEvent),
      nextEventId: num,
      nextWaitId: num,
    }),
    children: z.record(z.string(), savedChildSchema),
  }),
});

export type SavedLab = z.infer<typeof savedLabSchema>;
