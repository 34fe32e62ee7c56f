// Shared steps of VM commands: reading a VM's files, checking it is in vCenter's inventory, getting its keys on its
// host (locking it with vSphere's reason when they are missing), and reporting a long operation's progress.
import { readVmFiles, unwrapVmDek, type VmFiles } from './data-plane';
import { kekForVm, ramKey, type VmKeyRef } from './host-keys';
import { KeyUnavailable } from './key-unavailable';
import { EVENT } from './lab-event-ids';
import { refuse } from './lab-refusal';
import type { LabRuntime } from './lab-runtime';
import type { UnavailableKeyReason, VmOperationView } from './lab-types';
import type { VmContext } from './vm.machine';

export function readFilesOf(rt: LabRuntime, vm: Pick<VmContext, 'datastoreId' | 'folder'>): Promise<VmFiles> {
  return readVmFiles(rt.db, vm.datastoreId, vm.folder);
}

export function keyRefOf(files: VmFiles): VmKeyRef {
  if (!files.encryption) refuse('NOT_ENCRYPTED', `VM ${files.name} is not encrypted.`);
  return { providerId: files.encryption.providerId, keyId: files.encryption.keyId, kekWrappedByKdk: files.encryption.kekWrappedByKdk };
}

/** The VM as vCenter's inventory has it; refused when vCenter is not running or the VM is not registered. */
export function inventoryVm(rt: LabRuntime, vmId: string) {
  const vc = rt.requireVcenter();
  const vm = rt.vm(vmId);
  if (!vm.registered || !vc.registeredVmIds.includes(vmId)) {
    refuse('VM_NOT_REGISTERED', `VM ${vm.name} is not registered in vCenter ${vc.name}. Register it from its datastore first.`);
  }
  return vm;
}

export function refuseIfBusy(vm: VmContext): void {
  if (vm.operation) {
    refuse(
      'OPERATION_PENDING',
      `VM ${vm.name} has an unfinished ${vm.operation.kind === 'rekeyDeep' ? 'deep re-key' : vm.operation.kind} (${Math.round((100 * vm.operation.done) / Math.max(1, vm.operation.total))}%). Resume it first.`,
    );
  }
}

export function refuseIfLocked(vm: VmContext): void {
  // The lock's message tells what was wrong when it was locked, which may have changed since: say so.
  if (vm.locked) {
    refuse('VM_LOCKED', `VM ${vm.name} is locked (${vm.locked.reason}). When it was locked: ${vm.locked.message} Unlock it once the key is available.`);
  }
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

/** The DEK of a VM if some powered-on host holds its KEK (the VM's own host first), else null with the reason. */
export async function heldDek(rt: LabRuntime, vm: VmContext, files: VmFiles): Promise<{ dek: CryptoKey | null; reason: string | null }> {
  if (!files.encryption) return { dek: null, reason: null };
  const hostIds = [vm.hostId, ...rt.hostRefs().map((h) => h.getSnapshot().context.id)].filter((id): id is string => !!id);
  for (const hostId of new Set(hostIds)) {
    const kek = await ramKey(rt, hostId, files.encryption.keyId);
    if (kek) return { dek: await unwrapVmDek(files, kek), reason: null };
  }
  return {
    dek: null,
    reason: `No host holds key ${files.encryption.keyId} of ${files.encryption.providerId} in memory, so the disk of ${files.name} can only be shown as stored: ciphertext. Power the VM on (or unlock it) to read it.`,
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
