// Shared steps of VM commands: reading a VM's files, getting its keys on its host (locking it with vSphere's reason
// when they are missing), and reporting a long operation's progress. Whether the VM may be acted on at all (in the
// inventory, not busy, not locked) is the commands' preconditions' (commands/preconditions).
import { openNvram, openVmConfig, readVmFiles, unwrapVmDek, VmDataError, type VmFiles } from '../data-plane';
import { readTextFile } from '@/lib/storage';
import { vcenterKeyRefusal } from '../keys/vcenter-key-check';
import { kekForVm, ramKey, type VmKeyRef } from '../keys/host-keys';
import { KeyUnavailable } from '../keys/key-unavailable';
import { EVENT } from '../session/lab-event-ids';
import { refuse } from './lab-refusal';
import type { LabRuntime } from '../session/lab-runtime';
import type { UnavailableKeyReason, VmOperationView } from '../lab-types';
import type { VmContext } from '../actors/vm.machine';

export function readFilesOf(rt: LabRuntime, vm: Pick<VmContext, 'datastoreId' | 'folder'>): Promise<VmFiles> {
  return readVmFiles(rt.db, vm.datastoreId, vm.folder);
}

/** The VM's key (its VM home's, which its disks share when they are encrypted too). */
export function keyRefOf(files: VmFiles): VmKeyRef {
  if (!files.home) refuse('NOT_ENCRYPTED', `VM ${files.name} is not encrypted.`);
  return { providerId: files.home.providerId, keyId: files.home.keyId, kdkKeyId: files.home.kdkKeyId };
}

const LOCK_EVENT: Record<UnavailableKeyReason, string> = {
  KeyStateMissingInCache: EVENT.vmLockedKeyMissingOnHost,
  KeyStateClusterUnreachable: EVENT.vmLockedKmsClusterError,
  KeyStateMissingInKMS: EVENT.vmLockedKeyMissingOnKms,
  KeyStateNotActiveOrEnabled: EVENT.vmLockedKeyMissingOnKms,
  KeyStateManagedByNKP: EVENT.vmLockedKeyMissingOnHost,
};

/** Marks the VM locked with vSphere's reason and logs the matching VMLocked event. */
export function lockVm(rt: LabRuntime, vmId: string, reason: UnavailableKeyReason, message: string): void {
  rt.vmRef(vmId).send({ type: 'vm.locked', reason, message });
  rt.log({ eventTypeId: LOCK_EVENT[reason], severity: 'error', objectId: vmId, message: `VM ${rt.vm(vmId).name} is locked (${reason}): ${message}` });
}

/** The VM's KEK on `hostId`; when it cannot be had the VM is locked and the command refused with the reason. */
export async function kekOrLock(rt: LabRuntime, vmId: string, hostId: string, files: VmFiles): Promise<CryptoKey> {
  try {
    return await kekForVm(rt, hostId, keyRefOf(files));
  } catch (error) {
    if (error instanceof KeyUnavailable) {
      lockVm(rt, vmId, error.keyReason, error.reason);
      refuse('VM_LOCKED', `VM ${files.name} cannot get its key (${error.keyReason}): ${error.reason}`);
    }
    throw error;
  }
}

/**
 * What powering on (or unlocking) needs: vCenter's check of the VM's provider (when a vCenter runs), the KEK on
 * `hostId`, and the proof that it opens the VM: encryption.data, the disks' DEK, a vTPM's .nvram. Anything missing
 * locks the VM with vSphere's reason and refuses; `lock: false` only refuses (an unlock that fails leaves it locked).
 */
export async function openVmKeysOrLock(rt: LabRuntime, vmId: string, hostId: string, files: VmFiles, opts: { lock?: boolean } = {}): Promise<CryptoKey | null> {
  if (!files.home) return null;
  const home = files.home;
  const fail = (keyReason: UnavailableKeyReason, reason: string): never => {
    if (opts.lock !== false) lockVm(rt, vmId, keyReason, reason);
    refuse(opts.lock === false ? 'KEY_UNAVAILABLE' : 'VM_LOCKED', `VM ${files.name} ${opts.lock === false ? 'stays locked' : 'cannot get its key'} (${keyReason}): ${reason}`);
  };
  const refusal = await vcenterKeyRefusal(rt, files);
  if (refusal) fail(refusal.keyReason, refusal.reason);
  let kek: CryptoKey;
  try {
    kek = await kekForVm(rt, hostId, keyRefOf(files));
  } catch (error) {
    if (error instanceof KeyUnavailable) fail(error.keyReason, error.reason);
    throw error;
  }
  try {
    await openVmConfig(home.encryptedData, kek!, { vmId: files.vmId, vmName: files.name, keyId: home.keyId });
    if (files.encryption) await unwrapVmDek(files, kek!);
    if (files.vtpm && files.nvramPath) {
      const text = await readTextFile(rt.db, files.datastoreId, files.nvramPath);
      if (text === undefined) throw new VmDataError('VM_FILES_MISSING', `The .nvram of VM ${files.name} (its vTPM state) is missing.`);
      await openNvram(text, kek!, { vmId: files.vmId, vmName: files.name, keyId: home.keyId });
    }
  } catch (error) {
    if (!(error instanceof VmDataError)) throw error;
    const reason = home.kdkKeyId
      ? `${error.message} The key derived for Native Key Provider ${home.providerId} does not open it: restore the original backup of ${home.providerId}.`
      : error.message;
    fail('KeyStateMissingInCache', reason);
  }
  recordVouchedNkpKey(rt, vmId, home);
  return kek!;
}

/**
 * vCenter has just derived an NKP key from its KDK and the key ID in the VM's files, and seen it open the VM (power
 * on, unlock): it keeps the key ID in its key database, as registering the VM does, so a VM registered or brought in
 * before its provider was restored gets its record once it is unlocked. (How vCenter refills these records is the
 * lab's model; vSphere does not document it.)
 */
function recordVouchedNkpKey(rt: LabRuntime, vmId: string, home: NonNullable<VmFiles['home']>): void {
  const vc = rt.vcenter();
  if (!vc || home.kdkKeyId === null || vc.keyDatabase.some((e) => e.keyId === home.keyId)) return;
  if (rt.provider(home.providerId)?.kind !== 'native') return;
  rt.vcenterRef().send({ type: 'keydb.put', entries: [{ keyId: home.keyId, providerId: home.providerId, vmId }] });
}

/**
 * VMs coming into a vCenter's inventory with a host: the powered-off encrypted ones whose key this vCenter cannot
 * serve (provider not configured here, or another NKP of the same name) are locked at once, shown with the reason and
 * the fix, whatever their host still holds. Running VMs keep running on their host's keys. Returns their names.
 */
export async function lockVmsVcenterCannotServe(rt: LabRuntime, vmIds: readonly string[]): Promise<string[]> {
  const locked: string[] = [];
  for (const vmId of vmIds) {
    const vm = rt.vm(vmId);
    if (vm.power === 'on' || vm.locked || !(vm.homeEncryption ?? vm.encryption)) continue;
    const refusal = await vcenterKeyRefusal(rt, await readFilesOf(rt, vm));
    if (!refusal) continue;
    lockVm(rt, vmId, refusal.keyReason, refusal.reason);
    locked.push(vm.name);
  }
  return locked;
}

/** The DEK of a VM if some powered-on host holds its KEK (the VM's own host first), else null with the reason. */
export async function heldDek(rt: LabRuntime, vm: VmContext & { power?: 'on' | 'off' }, files: VmFiles): Promise<{ dek: CryptoKey | null; reason: string | null }> {
  if (!files.encryption) return { dek: null, reason: null };
  const hostIds = [vm.hostId, ...rt.hostRefs().map((h) => h.getSnapshot().context.id)].filter((id): id is string => !!id);
  for (const hostId of new Set(hostIds)) {
    const kek = await ramKey(rt, hostId, files.encryption.keyId);
    if (kek) return { dek: await unwrapVmDek(files, kek), reason: null };
  }
  // The advice must be something the learner can do now: a running VM cannot be powered on.
  const advice = vm.locked
    ? 'Unlock it once its key is available, then power it on to read it.'
    : vm.power === 'on'
      ? 'Its host no longer holds the key it started with (the key changed, or the lab was reloaded since): power the VM off and on again to load it.'
      : 'Power the VM on to read it.';
  return {
    dek: null,
    reason: `No host holds key ${files.encryption.keyId} of ${files.encryption.providerId} in memory, so the disk of ${files.name} can only be shown as stored: ciphertext. ${advice}`,
  };
}

/** Progress reporter for a long operation: the VM's `operation` follows the bytes done, a few times per run. */
export function progressOf(rt: LabRuntime, vmId: string, kind: VmOperationView['kind']) {
  let last = -1;
  return (done: number, total: number) => {
    const step = Math.floor((20 * done) / Math.max(1, total));
    if (step === last && done !== total) return;
    last = step;
    rt.vmRef(vmId).send({ type: 'vm.operationProgress', operation: { kind, done, total, interrupted: false } });
  };
}
