// The lab commands a scenario's prelude may run, described structurally so a link or file is checked before any of it
// reaches a lab. The shapes mirror LabCommand (machines/lab-types.ts); lib/ imports nothing from machines/, so the two
// are tied together by a type-level check on the machines side (machines/scenario/prelude-contract.ts), which fails
// the type check the moment a command is added to one list and not the other.
import * as z from 'zod/mini';
import { VSPHERE_VERSIONS } from './vsphere-version';

/** An object id as the scenario names them (host, VM, KMS node, datastore). */
export const objectId = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be 1-32 lowercase letters, digits or dashes, starting with a letter or digit'));
/** A key provider is named by its name (the lab gives a provider its name as its id). */
const providerId = z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(64, 'must be at most 64 characters'));
const keyId = z.string().check(z.regex(/^[0-9a-fA-F-]{1,64}$/, 'must be a key ID (a UUID)'));
const fileName = z.string().check(z.regex(/^[A-Za-z0-9._-]{1,64}$/, 'file names use letters, digits, dot, dash and underscore'));

const plain = <T extends string>(type: T) => z.object({ type: z.literal(type) });
const onHost = <T extends string>(type: T) => z.object({ type: z.literal(type), hostId: objectId });
const onVm = <T extends string>(type: T) => z.object({ type: z.literal(type), vmId: objectId });
const onKms = <T extends string>(type: T) => z.object({ type: z.literal(type), kmsId: objectId });
const onVmWithProvider = <T extends string>(type: T) => z.object({ type: z.literal(type), vmId: objectId, providerId: z.optional(providerId) });

export const preludeCommandSchema = z.discriminatedUnion('type', [
  plain('vcenter.destroy'),
  plain('vcenter.deploy'),
  plain('vcenter.stop'),
  plain('vcenter.start'),
  z.object({ type: z.literal('vcenter.setVersion'), version: z.enum(VSPHERE_VERSIONS) }),
  z.object({ type: z.literal('user.switch'), userName: z.string().check(z.minLength(1), z.maxLength(64)) }),
  z.object({ type: z.literal('provider.addStandard'), name: providerId, kmsNodeIds: z.array(objectId).check(z.minLength(1), z.maxLength(8)) }),
  z.object({ type: z.literal('provider.addNative'), name: providerId, tpmOnly: z.boolean() }),
  z.object({ type: z.literal('provider.setDefault'), providerId }),
  z.object({ type: z.literal('provider.remove'), providerId }),
  z.object({ type: z.literal('provider.reorderKmsNodes'), providerId, kmsNodeIds: z.array(objectId).check(z.minLength(1), z.maxLength(8)) }),
  onKms('kms.down'),
  onKms('kms.hang'),
  onKms('kms.restore'),
  z.object({ type: z.literal('kms.revokeKey'), kmsId: objectId, keyId }),
  z.object({ type: z.literal('kms.destroyKey'), kmsId: objectId, keyId }),
  z.object({ type: z.literal('kms.reactivateKey'), kmsId: objectId, keyId }),
  onKms('kms.lose'),
  onHost('host.reboot'),
  onHost('host.powerOff'),
  onHost('host.powerOn'),
  onHost('host.disconnect'),
  onHost('host.connect'),
  onHost('host.remove'),
  onHost('host.add'),
  onHost('host.clearTpm'),
  onHost('host.keepRecoveryKey'),
  z.object({ type: z.literal('host.recoverConfiguration'), hostId: objectId, recoveryKey: z.optional(z.string().check(z.maxLength(256))) }),
  onHost('host.reinstall'),
  z.object({ type: z.literal('host.copyBootDisk'), hostId: objectId, vmId: objectId }),
  onHost('host.enableEncryptionMode'),
  onHost('host.disableEncryptionMode'),
  z.object({ type: z.literal('vm.powerOn'), vmId: objectId, hostId: z.optional(objectId) }),
  onVm('vm.powerOff'),
  z.object({ type: z.literal('vm.migrate'), vmId: objectId, hostId: objectId }),
  onVmWithProvider('vm.encrypt'),
  onVm('vm.decrypt'),
  onVmWithProvider('vm.rekeyShallow'),
  onVmWithProvider('vm.rekeyDeep'),
  z.object({ type: z.literal('vm.rekeyShallowMany'), vmIds: z.array(objectId).check(z.minLength(1), z.maxLength(600)), providerId: z.optional(providerId) }),
  onVmWithProvider('vm.addVtpm'),
  onVm('vm.removeVtpm'),
  onVm('vm.takeSnapshot'),
  z.object({ type: z.literal('vm.clone'), vmId: objectId, name: z.string().check(z.minLength(1), z.maxLength(80)) }),
  onVm('vm.exportOvf'),
  onVm('vm.takeMemorySnapshot'),
  z.object({ type: z.literal('vm.relocateStorage'), vmId: objectId, datastoreId: objectId }),
  z.object({ type: z.literal('vm.changeDiskFormat'), vmId: objectId, format: z.enum(['thin', 'thickEagerZeroed']) }),
  z.object({ type: z.literal('vm.setFeature'), vmId: objectId, feature: z.enum(['faultTolerance', 'replication', 'contentLibrary']), enabled: z.boolean() }),
  onVm('vm.deleteSnapshots'),
  z.object({ type: z.literal('vm.register'), datastoreId: objectId, folder: z.string().check(z.minLength(1), z.maxLength(128)), hostId: z.optional(objectId) }),
  onVm('vm.unregister'),
  onVm('vm.unlock'),
  z.object({ type: z.literal('guest.writeFile'), vmId: objectId, name: fileName, text: z.string().check(z.maxLength(16 * 1024)) }),
  z.object({ type: z.literal('clock.advance'), ms: z.int().check(z.gte(0), z.lte(30 * 24 * 3_600_000, 'a prelude moves the clock at most 30 days')) }),
]);

export type PreludeCommand = z.output<typeof preludeCommandSchema>;

/**
 * One step of a prelude, the same shapes a lesson's prelude takes (LessonAction): a lab command, an NKP backup made as
 * part of the start (its .p12 handed to the learner when `handout`; the scenario carries a password, never a key), or
 * a restore of that handed-out file.
 */
export const preludeStepSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('command'), command: preludeCommandSchema }),
  z.object({
    kind: z.literal('backupNkp'),
    providerName: providerId,
    password: z.string().check(z.maxLength(128)),
    handout: z.optional(z.boolean()),
    passwordLost: z.optional(z.boolean()),
  }),
  z.object({ kind: z.literal('restoreHandout') }),
]);

export type PreludeStep = z.output<typeof preludeStepSchema>;
