// Shared building blocks for lesson checks: pure functions of LabView (and the baseline) that name what is in the lab
// now (a provider, a VM that runs, a key in vCenter's database, a KMS key's state) or what happened (from the events).
// Lessons import nothing at runtime from machines/, so the few event ids the checks read are spelled out here.
import type { HostView, KeyProviderView, KmsKeyState, LabEvent, LabView, NativeProviderView, VmView } from '@/machines/lab-types';
import type { CheckResult, LessonBaseline } from './lesson-types';

/** vSphere and lab event ids the checks read (the same strings as machines/session/lab-event-ids.ts). */
export const EVENT_ID = {
  cryptoOperation: 'com.vmware.vc.crypto.Operation',
  hostStarted: 'com.vmware.vc.host.HostStartedEvent',
  taskFailed: 'com.vmware.vc.TaskFailed',
  vmLockedPrefix: 'com.vmware.vc.vm.Crypto.VMLocked.',
  kmsFault: 'keylab.kms.Fault',
  kmsWait: 'keylab.kms.Wait',
  vcenterDown: 'keylab.vcenter.Down',
  vcenterUp: 'keylab.vcenter.Up',
  vcenterLost: 'keylab.vcenter.Destroyed',
  vcenterVersion: 'keylab.vcenter.Version',
  tpmCleared: 'keylab.host.TpmCleared',
  recoveryKeyKept: 'keylab.host.RecoveryKeyKept',
  hostReinstalled: 'keylab.host.Reinstalled',
} as const;

export const done = (): CheckResult => ({ status: 'done' });
export const notYet = (missing?: string): CheckResult => (missing === undefined ? { status: 'notYet' } : { status: 'notYet', missing });
export const misconception = (id: string, message: string): CheckResult => ({ status: 'misconception', id, message });

/** Runs the parts in order and answers with the first that is not done (a misconception or what is missing). */
export function firstOf(...parts: (() => CheckResult | null)[]): CheckResult {
  for (const part of parts) {
    const result = part();
    if (result && result.status !== 'done') return result;
  }
  return done();
}

/** "db-01 and web-01", "db-01, web-01 and archive-01". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function findProvider(view: LabView, name: string): KeyProviderView | undefined {
  return view.vcenter?.keyProviders.find((p) => p.name === name);
}

/** Every Native Key Provider in vCenter (none when there is no vCenter). */
export function nativeProviders(view: LabView): NativeProviderView[] {
  return (view.vcenter?.keyProviders ?? []).filter((p): p is NativeProviderView => p.kind === 'native');
}

export function findNative(view: LabView, name: string): NativeProviderView | undefined {
  const p = findProvider(view, name);
  return p?.kind === 'native' ? p : undefined;
}

export function findVm(view: LabView, vmId: string): VmView | undefined {
  return view.vms.find((v) => v.id === vmId);
}

export function findHost(view: LabView, hostId: string): HostView | undefined {
  return view.hosts.find((h) => h.id === hostId);
}

export function vmName(view: LabView, vmId: string): string {
  return findVm(view, vmId)?.name ?? vmId;
}

export function hostName(view: LabView, hostId: string): string {
  return findHost(view, hostId)?.name ?? hostId;
}

/** Powered on and not locked: the guest runs. */
export function vmRuns(view: LabView, vmId: string): boolean {
  const vm = findVm(view, vmId);
  return !!vm && vm.power === 'on' && !vm.locked;
}

/** The VM's KEK now comes from this provider (by name). */
export function vmUsesProvider(view: LabView, vmId: string, providerName: string): boolean {
  return findVm(view, vmId)?.encryption?.providerName === providerName;
}

export function keyInDatabase(view: LabView, keyId: string): boolean {
  return !!view.vcenter?.keyDatabase.some((e) => e.keyId === keyId);
}

/** The key's state on every KMS node that holds it (empty when no node has it, or it is still replicating). */
export function kmsKeyStates(view: LabView, keyId: string): KmsKeyState[] {
  return view.kmsNodes.flatMap((n) => n.keys.filter((k) => k.keyId === keyId).map((k) => k.state));
}

/** No KMS node would hand this key out any more: revoked (Deactivated) or destroyed everywhere it lives. */
export function kmsKeyRetired(view: LabView, keyId: string): boolean {
  const states = kmsKeyStates(view, keyId);
  return states.length > 0 && states.every((s) => s !== 'Active' && s !== 'PreActive');
}

export function kmsKeyDestroyed(view: LabView, keyId: string): boolean {
  const states = kmsKeyStates(view, keyId);
  return states.length > 0 && states.every((s) => s === 'Destroyed');
}

/**
 * Revoked (Deactivated) on every node that holds it: not usable, but its material is kept and the KMS administrator
 * can reactivate it. Not the same as destroyed.
 */
export function kmsKeyRevoked(view: LabView, keyId: string): boolean {
  const states = kmsKeyStates(view, keyId);
  return states.length > 0 && states.every((s) => s === 'Deactivated' || s === 'Compromised');
}

/** Destroyed somewhere in the cluster (KMIP Destroy reaches every node that holds it): its material is gone. */
export function kmsKeyDestroyedAnywhere(view: LabView, keyId: string): boolean {
  return kmsKeyStates(view, keyId).includes('Destroyed');
}

/** Where the key's copies still on their way are waiting for their sender (a node not up sends nothing). */
export function kmsKeyAwaitingSender(view: LabView, keyId: string): boolean {
  return view.kmsNodes.some((n) => n.replicationInFlight.some((r) => r.keyId === keyId && r.arrivesAt === null));
}

/** The id of the latest event that matches, or 0 when none does (event ids start at 1 and only grow). */
export function lastEventId(view: LabView, match: (e: LabEvent) => boolean): number {
  for (let i = view.events.length - 1; i >= 0; i--) if (match(view.events[i]!)) return view.events[i]!.id;
  return 0;
}

export function eventsAfter(view: LabView, afterId: number, match: (e: LabEvent) => boolean): LabEvent[] {
  return view.events.filter((e) => e.id > afterId && match(e));
}

/** The learner tried to power the VM on after event `afterId` and vSphere refused (a failed vm.powerOn task naming it). */
export function powerOnRefused(view: LabView, vmId: string, afterId = 0): boolean {
  return view.events.some(
    (e) => e.id > afterId && e.eventTypeId === EVENT_ID.taskFailed && e.message.startsWith('vm.powerOn failed: ') && e.message.includes(` ${vmId} `),
  );
}

/** The latest start (boot) of a host, as an event id (0 = not since the lab began). */
export function lastHostStart(view: LabView, hostId: string): number {
  return lastEventId(view, (e) => e.eventTypeId === EVENT_ID.hostStarted && e.objectId === hostId);
}

/** A crypto operation (com.vmware.vc.crypto.Operation) on an object, e.g. 'Encrypt' of a VM or 'PushKey' to a host. */
export function cryptoOps(view: LabView, operation: string, match: (e: LabEvent) => boolean = () => true): LabEvent[] {
  return view.events.filter((e) => e.eventTypeId === EVENT_ID.cryptoOperation && e.operation === operation && match(e));
}

/** When (event id) the VM was last locked, or 0. */
export function lastVmLock(view: LabView, vmId: string): number {
  return lastEventId(view, (e) => e.eventTypeId.startsWith(EVENT_ID.vmLockedPrefix) && e.objectId === vmId);
}

type KmsStatus = 'up' | 'down' | 'hung' | 'lost';

/** A KMS node's status changes as the lab logs them (take down, make hung, restore, lose for good). */
function kmsStatusChange(e: LabEvent, kmsId: string): KmsStatus | null {
  if (e.eventTypeId !== EVENT_ID.kmsFault || e.objectId !== kmsId || e.operation !== null || e.user !== 'lab') return null;
  if (e.message.includes(' is lost for good')) return 'lost';
  if (e.message.includes(' is down:')) return 'down';
  if (e.message.includes(' hangs:')) return 'hung';
  if (e.message.includes(' answers again')) return 'up';
  return null;
}

/** The node's status just after event `eventId` (from the fault events; `initial` before any). */
export function kmsStatusAt(view: LabView, kmsId: string, eventId: number, initial: KmsStatus = 'up'): KmsStatus {
  let status = initial;
  for (const e of view.events) {
    if (e.id > eventId) break;
    status = kmsStatusChange(e, kmsId) ?? status;
  }
  return status;
}

/** The event id from which the node has been in its current (not up) status, or 0 when it is up. */
export function kmsDownSince(view: LabView, kmsId: string): number {
  const node = view.kmsNodes.find((n) => n.id === kmsId);
  if (!node || node.status === 'up') return 0;
  return lastEventId(view, (e) => kmsStatusChange(e, kmsId) === node.status);
}

/** Waits of vCenter on a hung node (keylab.kms.Wait) logged after `afterId`, up to `untilId` when given. */
export function kmsWaitsBetween(view: LabView, afterId: number, untilId = Number.POSITIVE_INFINITY): LabEvent[] {
  return view.events.filter((e) => e.id > afterId && e.id <= untilId && e.eventTypeId === EVENT_ID.kmsWait);
}

/** The host holds a KDK of this provider in memory (it can derive the provider's KEKs without vCenter). */
export function hostHoldsKdk(view: LabView, hostId: string, providerId: string): boolean {
  return !!findHost(view, hostId)?.ramKeys.some((k) => k.level === 'KDK' && k.providerId === providerId);
}

/** The host holds this KEK in memory. */
export function hostHoldsKey(view: LabView, hostId: string, keyId: string): boolean {
  return !!findHost(view, hostId)?.ramKeys.some((k) => k.keyId === keyId);
}

/** 4 KiB sectors of a VM's disk: what a deep re-key decrypts and encrypts again. */
export function sectorsOf(vm: Pick<VmView, 'diskSizeBytes'>): number {
  return Math.ceil(vm.diskSizeBytes / 4096);
}

/**
 * The KDK key ID of a Native Key Provider's backup (.p12), as the key map shows the backup file. It outlives vCenter,
 * so a lesson that starts after vCenter was lost can still tell the backup's provider from a new one.
 */
export function backupKdkId(view: LabView, providerName: string): string | null {
  return view.keyMap.find((k) => k.level === 'KDK' && k.places.some((p) => p.kind === 'backup-file' && p.objectId === providerName))?.keyId ?? null;
}

/**
 * The KDK key ID of the backup the lesson starts with (the .p12 it hands out), as the baseline recorded it; a later
 * backup of a new provider under the same name is not it. Progress saved before baselines recorded backups falls back
 * to the key map (which cannot tell the two apart).
 */
export function startingBackupKdkId(view: LabView, baseline: LessonBaseline, providerName: string): string | null {
  return baseline.backups?.[providerName] ?? baseline.providers[providerName]?.keyId ?? backupKdkId(view, providerName);
}

/** The KDK key ID a VM's files name (its VM home's key; NKP only), or null. */
export function vmKdkKeyId(vm: VmView | undefined): string | null {
  return (vm?.homeEncryption ?? vm?.encryption)?.kdkKeyId ?? null;
}
