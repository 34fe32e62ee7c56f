// VM commands outside encryption proper: power, vTPM, snapshots, register/unregister, unlock, guest file writes.
// The rules the lab's view holds are checked before they run (preconditions/vm-lifecycle.ts); those that need the VM's
// files or keys are checked here.
import { deleteVtpmFiles, newVtpmState, readVmFiles, readVmFileSet, sealNvram, sealVmConfig, unwrapVmDek, writeGuestFile, writeVtpmFiles, type KekRef } from '../data-plane';
import { kmsLocate } from '../keys/kms-client';
import type { UnavailableKeyReason } from '../lab-types';
import { KeyUnavailable } from '../keys/key-unavailable';
import { provisionKek, resolveProvider } from '../keys/kek-provisioning';
import { EVENT } from '../session/lab-event-ids';
import { refuse } from './lab-refusal';
import type { LabRuntime } from '../session/lab-runtime';
import { kekOrLock, lockVm, openVmKeysOrLock, readFilesOf } from './vm-access';
import { vcenterKeyRefusal } from '../keys/vcenter-key-check';
import { encryptionView, homeEncryptionView } from './vm-encryption';
import { reconcileVm } from '../persistence/reconcile';

export async function powerOnCommand(rt: LabRuntime, vmId: string, hostIdWanted?: string): Promise<string> {
  const vm = rt.vm(vmId);
  // Its precondition refused a VM on no host.
  const hostId = (hostIdWanted ?? vm.hostId)!;
  const host = rt.host(hostId);
  const files = await readFilesOf(rt, vm);
  // Through vCenter, its check of the VM's provider first (whatever the host holds); then the key on the host, proved
  // by opening what it protects (encryption.data, the disks' DEK, a vTPM's .nvram).
  await openVmKeysOrLock(rt, vmId, hostId, files);
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

/**
 * Adds a vTPM as vSphere does: the VM home is encrypted (the VM's key if it is encrypted already, else a new KEK from
 * the default provider, recorded in vCenter's key database), the vTPM's secrets go into a sealed .nvram, and the
 * disks stay as they are ("VM home only" unless the disks are encrypted too).
 */
export async function addVtpmCommand(rt: LabRuntime, vmId: string, providerId?: string): Promise<string> {
  const vm = rt.vm(vmId);
  // Its precondition refused a VM on no host.
  const hostId = vm.hostId!;
  const set = await readVmFileSet(rt.db, vm.datastoreId, vm.folder);
  let kek: KekRef;
  let providerName: string;
  if (set.files.home) {
    const home = set.files.home;
    kek = { key: (await openVmKeysOrLock(rt, vmId, hostId, set.files))!, keyId: home.keyId, providerId: home.providerId, kdkKeyId: home.kdkKeyId };
    providerName = rt.provider(home.providerId)?.name ?? home.providerId;
  } else {
    // vSphere needs a key provider to encrypt the VM home files (.nvram, swap) that hold the vTPM's secrets.
    const provider = resolveProvider(rt, providerId, `add a Virtual TPM to VM ${vm.name} (a vTPM needs a key provider to encrypt the VM home files)`);
    kek = await provisionKek(rt, provider, hostId, vmId);
    providerName = provider.name;
  }
  const home = set.files.home ?? {
    providerId: kek.providerId,
    keyId: kek.keyId,
    kdkKeyId: kek.kdkKeyId,
    encryptedData: await sealVmConfig({ vmId, keyId: kek.keyId, disks: [] }, kek.key),
  };
  const files = await writeVtpmFiles(rt.db, set, home, await sealNvram(newVtpmState(vmId), kek.key, kek.keyId));
  rt.vmRef(vmId).send({ type: 'vm.vtpmSet', vtpm: true });
  if (!set.files.home) rt.vmRef(vmId).send({ type: 'vm.encryptionChanged', encryption: null, home: homeEncryptionView(rt, files) });
  rt.logCrypto('AddVtpm', kek.keyId, vmId, `Virtual TPM added to VM ${vm.name}; its VM home (.vmx, .nvram) is encrypted with key ${kek.keyId} of ${providerName}.`);
  return `Virtual TPM added to VM ${vm.name}: its VM home (.vmx, .nvram) is encrypted with key ${kek.keyId} of ${providerName}; ${files.encryption ? 'its disks are encrypted with the same key' : 'its disks are not encrypted (VM home only)'}.`;
}

/**
 * Removes a vTPM: its secrets (the .nvram) are destroyed with it, and whatever the guest sealed with them is lost.
 * The VM home stays encrypted under its key, as vSphere leaves it; decrypting is a separate step.
 */
export async function removeVtpmCommand(rt: LabRuntime, vmId: string): Promise<string> {
  const vm = rt.vm(vmId);
  const set = await readVmFileSet(rt.db, vm.datastoreId, vm.folder);
  await deleteVtpmFiles(rt.db, set);
  rt.vmRef(vmId).send({ type: 'vm.vtpmSet', vtpm: false });
  rt.log({ eventTypeId: EVENT.vmReconfigured, objectId: vmId, message: `Virtual TPM removed from VM ${vm.name}: its secrets (.nvram) are destroyed.` });
  return `Virtual TPM removed from VM ${vm.name}: its secrets (.nvram) are destroyed${set.files.home ? `; the VM home stays encrypted with key ${set.files.home.keyId}` : ''}.`;
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
 * Register a VM from its datastore folder: vCenter reads the .vmx. For an NKP VM it checks that its own KDK derives
 * the key named there (the provider restored from its .p12, not a new one of the same name) and records the key ID
 * (doomsday B); for a standard one it records the key ID. When the provider is missing or another one the VM is
 * registered but locked, as vSphere does.
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
  if (vm.power === 'on' && vm.hostId !== hostId) refuse('VM_RUNNING_ELSEWHERE', `VM ${vm.name} is running on host ${rt.host(vm.hostId!).name}. Register it on that host (add the host to vCenter first if it is not there).`);
  // Register always takes the VM's state from its files (encryption, vTPM, an unfinished operation), never from what
  // the lab last showed of it.
  await reconcileVm(rt, vm.id, files);

  let note = '';
  if (files.home) {
    rt.requirePrivilege('Cryptographer.RegisterVM');
    const home = files.home;
    const provider = rt.provider(home.providerId);
    // vCenter's check: the provider is configured here and, for an NKP, it is the very KDK the key is derived from.
    const refusal = await vcenterKeyRefusal(rt, files);
    let problem: string | null = refusal?.reason ?? null;
    let lockReason: UnavailableKeyReason = refusal?.keyReason ?? 'KeyStateMissingInCache';
    if (!refusal && provider?.kind === 'native') {
      rt.vcenterRef().send({ type: 'keydb.put', entries: [{ keyId: home.keyId, providerId: provider.id, vmId: vm.id }] });
      note = ` Key ${home.keyId}: vCenter derives it from the KDK of ${provider.name} and the key ID in the VM's files.`;
    } else if (!refusal && provider?.kind === 'standard') {
      // vCenter records the key ID after checking with KMIP Locate that the KMS still has the key; when no node can
      // be reached it cannot tell, and records it anyway (the VM will be locked later if the key really is gone).
      try {
        await kmsLocate(rt, provider, home.keyId);
      } catch (error) {
        if (!(error instanceof KeyUnavailable)) throw error;
        if (error.keyReason !== 'KeyStateClusterUnreachable') problem = error.reason;
        lockReason = error.keyReason;
      }
      rt.vcenterRef().send({ type: 'keydb.put', entries: [{ keyId: home.keyId, providerId: provider.id, vmId: vm.id }] });
    }
    rt.vmRef(vm.id).send({ type: 'vm.encryptionChanged', encryption: encryptionView(rt, files), home: homeEncryptionView(rt, files) });
    if (problem) lockVm(rt, vm.id, lockReason, problem);
    rt.logCrypto('RegisterVM', home.keyId, vm.id, `Encrypted VM ${vm.name} registered.${note}${problem ? ` Locked: ${problem}` : ''}`);
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
  // The same checks as a power-on (vCenter's provider, the key on the host, what it opens); a failure leaves it locked.
  await openVmKeysOrLock(rt, vmId, hostId, files, { lock: false });
  rt.vmRef(vmId).send({ type: 'vm.unlocked' });
  rt.log({ eventTypeId: EVENT.vmUnlocked, objectId: vmId, keyId: files.home?.keyId ?? null, message: `VM ${vm.name} unlocked: its key is available again.` });
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

