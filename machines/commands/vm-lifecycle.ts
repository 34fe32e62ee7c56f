// VM commands outside encryption proper: power, vTPM, snapshots, register/unregister, unlock, guest file writes.
// The rules the lab's view holds are checked before they run (preconditions/vm-lifecycle.ts); those that need the VM's
// files or keys are checked here.
import { readVmFiles, setVmVtpm, unwrapVmDek, writeGuestFile } from '../data-plane';
import { kekForVm } from '../host-keys';
import { kmsLocate } from '../kms-client';
import type { UnavailableKeyReason } from '../lab-types';
import { KeyUnavailable } from '../key-unavailable';
import { resolveProvider } from '../kek-provisioning';
import { EVENT } from '../lab-event-ids';
import { refuse } from '../lab-refusal';
import type { LabRuntime } from '../lab-runtime';
import { kekOrLock, keyRefOf, lockVm, readFilesOf } from '../vm-access';
import { encryptionView } from './vm-encryption';
import { reconcileVm } from '../reconcile';
import { toBase64, unwrapKek } from '@/lib/crypto/wrap';
import { getKey } from '@/lib/storage';
import { vcenterKdkRow } from '../key-vault-ids';

export async function powerOnCommand(rt: LabRuntime, vmId: string, hostIdWanted?: string): Promise<string> {
  const vm = rt.vm(vmId);
  // Its precondition refused a VM on no host.
  const hostId = (hostIdWanted ?? vm.hostId)!;
  const host = rt.host(hostId);
  const files = await readFilesOf(rt, vm);
  if (files.encryption) {
    const kek = await kekOrLock(rt, vmId, hostId, files);
    try {
      await unwrapVmDek(files, kek);
    } catch (error) {
      lockVm(rt, vmId, 'KeyStateMissingInCache', String(error instanceof Error ? error.message : error));
      refuse('VM_LOCKED', `VM ${vm.name} cannot open its disk key: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  rt.vmRef(vmId).send({ type: 'vm.poweredOn', hostId });
  rt.hostRef(hostId).send({ type: 'host.vmStarted', vmId });
  rt.log({ eventTypeId: EVENT.vmPoweredOn, objectId: vmId, message: `VM ${vm.name} on ${host.name} is powered on.` });
  return `VM ${vm.name} is powered on (${host.name}).`;
}

export function powerOffCommand(rt: LabRuntime, vmId: string): string {
  const vm = rt.vm(vmId);
  rt.vmRef(vmId).send({ type: 'vm.poweredOff' });
  if (vm.hostId) rt.hostRef(vm.hostId).send({ type: 'host.vmStopped', vmId });
  rt.log({ eventTypeId: EVENT.vmPoweredOff, objectId: vmId, message: `VM ${vm.name} is powered off.` });
  return `VM ${vm.name} is powered off.`;
}

export async function addVtpmCommand(rt: LabRuntime, vmId: string): Promise<string> {
  const vm = rt.vm(vmId);
  // vSphere needs a key provider to encrypt the VM home files (.nvram, swap) that hold the vTPM's secrets.
  const provider = resolveProvider(rt, undefined, `add a Virtual TPM to VM ${vm.name} (a vTPM needs a key provider to encrypt the VM home files)`);
  await setVmVtpm(rt.db, vm, true);
  rt.vmRef(vmId).send({ type: 'vm.vtpmSet', vtpm: true });
  rt.logCrypto('AddVtpm', null, vmId, `Virtual TPM added to VM ${vm.name}; its home files are protected by ${provider.name}.`);
  return `Virtual TPM added to VM ${vm.name} (VM home files encrypted with ${provider.name}; the disks are not).`;
}

export async function removeVtpmCommand(rt: LabRuntime, vmId: string): Promise<string> {
  const vm = rt.vm(vmId);
  await setVmVtpm(rt.db, vm, false);
  rt.vmRef(vmId).send({ type: 'vm.vtpmSet', vtpm: false });
  rt.log({ eventTypeId: EVENT.vmReconfigured, objectId: vmId, message: `Virtual TPM removed from VM ${vm.name}.` });
  return `Virtual TPM removed from VM ${vm.name}.`;
}

export function takeSnapshotCommand(rt: LabRuntime, vmId: string): string {
  const vm = rt.vm(vmId);
  rt.vmRef(vmId).send({ type: 'vm.snapshotTaken' });
  rt.log({ eventTypeId: EVENT.vmReconfigured, objectId: vmId, message: `Snapshot ${vm.snapshots + 1} of VM ${vm.name} taken.` });
  return `Snapshot taken of VM ${vm.name} (${vm.snapshots + 1} in all).`;
}

export function deleteSnapshotsCommand(rt: LabRuntime, vmId: string): string {
  const vm = rt.vm(vmId);
  rt.vmRef(vmId).send({ type: 'vm.snapshotsDeleted' });
  rt.log({ eventTypeId: EVENT.vmReconfigured, objectId: vmId, message: `All snapshots of VM ${vm.name} deleted.` });
  return `All snapshots of VM ${vm.name} deleted.`;
}

/**
 * Register a VM from its datastore folder: vCenter reads the .vmx. For an NKP VM it unwraps the KEK stored there with
 * the KDK it holds and repopulates its key database (doomsday B); for a standard one it records the key ID. When the
 * provider is missing the VM is registered but locked, as vSphere does.
 */
export async function registerCommand(rt: LabRuntime, datastoreId: string, folder: string, hostIdWanted?: string): Promise<string> {
  const vc = rt.requireVcenter();
  const files = await readVmFiles(rt.db, datastoreId, folder);
  const ref = rt.vmRefs().find((r) => {
    const c = r.getSnapshot().context;
    return c.datastoreId === datastoreId && c.folder === folder;
  });
  if (!ref) refuse('NO_SUCH_VM', `No VM of the lab lives in [${datastoreId}] ${folder}.`);
  const vm = rt.vm(ref.getSnapshot().context.id);
  if (vm.registered && vc.registeredVmIds.includes(vm.id)) refuse('ALREADY_REGISTERED', `VM ${vm.name} is already registered.`);
  const candidates = [hostIdWanted, vm.power === 'on' ? vm.hostId : null, vm.hostId, ...vc.hostIds].filter((id): id is string => !!id);
  const hostId = candidates.find((id) => vc.hostIds.includes(id) && rt.host(id).connection === 'connected');
  if (!hostId) refuse('NO_HOST', `No connected host of vCenter ${vc.name} can take VM ${vm.name}. Add a host first.`);
  if (vm.power === 'on' && vm.hostId !== hostId) refuse('VM_RUNNING_ELSEWHERE', `VM ${vm.name} is running on another host.`);
  // Register always takes the VM's state from its files (encryption, vTPM, an unfinished operation), never from what
  // the lab last showed of it.
  await reconcileVm(rt, vm.id, files);

  let note = '';
  if (files.encryption) {
    rt.requirePrivilege('Cryptographer.RegisterVM');
    const enc = files.encryption;
    const provider = rt.provider(enc.providerId);
    let problem: string | null = null;
    let lockReason: UnavailableKeyReason = 'KeyStateMissingInCache';
    if (!provider) problem = `Key provider ${enc.providerId} is not configured in vCenter ${vc.name}.`;
    else if (provider.kind === 'native') {
      const kdk = (await getKey(rt.db, vcenterKdkRow(provider.id)))?.key;
      try {
        if (!kdk || !enc.kekWrappedByKdk) throw new Error('no KDK');
        await unwrapKek(enc.kekWrappedByKdk, kdk);
        rt.vcenterRef().send({ type: 'keydb.put', entries: [{ keyId: enc.keyId, providerId: provider.id, vmId: vm.id, wrappedKek: toBase64(enc.kekWrappedByKdk) }] });
        note = ` Key ${enc.keyId} recovered from its files with the KDK of ${provider.name}.`;
      } catch {
        problem = `The KDK of key provider ${provider.name} in this vCenter does not open the key of VM ${vm.name}.`;
      }
    } else {
      // vCenter records the key ID after checking with KMIP Locate that the KMS still has the key; when no node can
      // be reached it cannot tell, and records it anyway (the VM will be locked later if the key really is gone).
      try {
        await kmsLocate(rt, provider, enc.keyId);
      } catch (error) {
        if (!(error instanceof KeyUnavailable)) throw error;
        if (error.keyReason !== 'KeyStateClusterUnreachable') problem = error.reason;
        lockReason = error.keyReason;
      }
      rt.vcenterRef().send({ type: 'keydb.put', entries: [{ keyId: enc.keyId, providerId: provider.id, vmId: vm.id }] });
    }
    rt.vmRef(vm.id).send({ type: 'vm.encryptionChanged', encryption: encryptionView(rt, files) });
    if (problem) lockVm(rt, vm.id, lockReason, problem);
    rt.logCrypto('RegisterVM', enc.keyId, vm.id, `Encrypted VM ${vm.name} registered.${note}${problem ? ` Locked: ${problem}` : ''}`);
    if (problem) note = ` It is locked: ${problem}`;
  }
  rt.vmRef(vm.id).send({ type: 'vm.registered', hostId });
  rt.vcenterRef().send({ type: 'inventory.vmRegistered', vmIds: [vm.id] });
  rt.log({ eventTypeId: EVENT.vmRegistered, objectId: vm.id, message: `VM ${vm.name} registered on ${rt.host(hostId).name}.` });
  return `VM ${vm.name} registered on ${rt.host(hostId).name}.${note}`;
}

export function unregisterCommand(rt: LabRuntime, vmId: string): string {
  const vm = rt.vm(vmId);
  rt.vmRef(vmId).send({ type: 'vm.unregistered' });
  rt.vcenterRef().send({ type: 'inventory.vmUnregistered', vmIds: [vmId] });
  rt.log({ eventTypeId: EVENT.vmRemoved, objectId: vmId, message: `VM ${vm.name} removed from the inventory (its files stay on the datastore).` });
  return `VM ${vm.name} removed from the inventory; its files stay on the datastore.`;
}

export async function unlockCommand(rt: LabRuntime, vmId: string): Promise<string> {
  const vm = rt.vm(vmId);
  // Its precondition refused a VM on no host.
  const hostId = vm.hostId!;
  const files = await readFilesOf(rt, vm);
  try {
    const kek = await kekForVm(rt, hostId, keyRefOf(files));
    await unwrapVmDek(files, kek);
  } catch (error) {
    if (error instanceof KeyUnavailable) refuse('KEY_UNAVAILABLE', `VM ${vm.name} stays locked (${error.keyReason}): ${error.reason}`);
    throw error;
  }
  rt.vmRef(vmId).send({ type: 'vm.unlocked' });
  rt.log({ eventTypeId: EVENT.vmUnlocked, objectId: vmId, keyId: files.encryption?.keyId ?? null, message: `VM ${vm.name} unlocked: its key is available again.` });
  return `VM ${vm.name} is unlocked.`;
}

export async function guestWriteCommand(rt: LabRuntime, vmId: string, name: string, text: string): Promise<string> {
  const vm = rt.vm(vmId);
  // Its precondition refused a guest that is not running on a host.
  const hostId = vm.hostId!;
  const files = await readFilesOf(rt, vm);
  const dek = files.encryption ? await unwrapVmDek(files, await kekOrLock(rt, vmId, hostId, files)) : null;
  await writeGuestFile(rt.db, files, dek, name, text);
  return `${name} written in the guest of ${vm.name} (${new TextEncoder().encode(text).length} bytes).`;
}

