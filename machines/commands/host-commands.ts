// ESXi host commands: power, reboot, connection, remove/add to the current vCenter, encryption mode. The encrypted
// configuration's faults and recovery (TPM clear, recovery key, reinstall, boot-disk copy) are host-config-commands.ts.
// Their rules are checked before they run by their preconditions (preconditions/hosts.ts).
import { forgetHostRam, pushKdksToHosts } from '../keys/host-keys';
import { installConfiguration, loadConfigurationIntoRam } from '../keys/host-config';
import { reportHostKeysWithRefusals } from './host-key-report';
import { EVENT } from '../session/lab-event-ids';
import type { LabRuntime } from '../session/lab-runtime';
import { lockVmsVcenterCannotServe, openVmKeysOrLock, readFilesOf } from './vm-access';

export async function stopHost(rt: LabRuntime, hostId: string): Promise<void> {
  const host = rt.host(hostId);
  for (const vmId of host.runningVmIds) {
    rt.vmRef(vmId).send({ type: 'vm.poweredOff' });
    rt.log({ eventTypeId: EVENT.vmPoweredOff, objectId: vmId, severity: 'warning', message: `VM ${rt.vm(vmId).name} stopped with host ${host.name}.` });
  }
  rt.hostRef(hostId).send({ type: 'host.poweredOff' });
  await forgetHostRam(rt, hostId);
  rt.log({
    eventTypeId: EVENT.hostShutdown,
    objectId: hostId,
    message: `Host ${host.name} shut down: the keys in its memory (its key cache) are gone; its encrypted configuration stays on its boot disk.`,
  });
}

/**
 * A host boots: it opens its encrypted configuration (its key unsealed by the TPM, or read from the boot disk) and
 * its KDKs are back in RAM, with or without vCenter; a connected host then gets from vCenter what it lacks. The key
 * cache (standard providers' KEKs) starts empty: memory only. Returns the learner's note.
 */
export async function bootHost(rt: LabRuntime, hostId: string): Promise<string> {
  rt.hostRef(hostId).send({ type: 'host.poweredOn' });
  if (!rt.host(hostId).configuration.written) await installConfiguration(rt, hostId);
  const loaded = await loadConfigurationIntoRam(rt, hostId);
  const host = rt.host(hostId);
  if (host.connection === 'connected') await pushKdksToHosts(rt, hostId);
  const where = host.hasTpm ? 'its key unsealed by the TPM' : 'no TPM: its key read from the boot disk';
  const note = loaded.length
    ? `Its encrypted configuration (${where}) gave back ${loaded.length} key(s): ${loaded.map((k) => `the KDK of ${k.providerId}`).join(', ')}.`
    : `Its encrypted configuration (${where}) holds no key provider keys.`;
  rt.log({ eventTypeId: EVENT.hostStarted, objectId: hostId, message: `Host ${host.name} started. ${note} Its key cache is empty until vCenter provides keys.` });
  return note;
}

export async function rebootCommand(rt: LabRuntime, hostId: string): Promise<string> {
  const host = rt.host(hostId);
  await stopHost(rt, hostId);
  const note = await bootHost(rt, hostId);
  return `Host ${host.name} rebooted. ${note}`;
}

export async function hostPowerOffCommand(rt: LabRuntime, hostId: string): Promise<string> {
  const host = rt.host(hostId);
  await stopHost(rt, hostId);
  return `Host ${host.name} is powered off.`;
}

export async function hostPowerOnCommand(rt: LabRuntime, hostId: string): Promise<string> {
  const host = rt.host(hostId);
  const note = await bootHost(rt, hostId);
  return `Host ${host.name} is powered on. ${note}`;
}

export function disconnectCommand(rt: LabRuntime, hostId: string): string {
  const host = rt.host(hostId);
  rt.hostRef(hostId).send({ type: 'host.disconnected' });
  rt.log({ eventTypeId: EVENT.hostDisconnected, objectId: hostId, message: `Host ${host.name} disconnected from vCenter.` });
  return `Host ${host.name} is disconnected.`;
}

export async function connectCommand(rt: LabRuntime, hostId: string): Promise<string> {
  const host = rt.host(hostId);
  rt.hostRef(hostId).send({ type: 'host.connected' });
  await pushKdksToHosts(rt, hostId);
  rt.log({ eventTypeId: EVENT.hostConnected, objectId: hostId, message: `Host ${host.name} connected to vCenter.` });
  return `Host ${host.name} is connected.`;
}

export function removeHostCommand(rt: LabRuntime, hostId: string): string {
  const vc = rt.requireVcenter();
  const host = rt.host(hostId);
  const vmIds = rt.vmRefs().map((r) => r.getSnapshot().context).filter((vm) => vm.hostId === hostId && vm.registered).map((vm) => vm.id);
  for (const vmId of vmIds) rt.vmRef(vmId).send({ type: 'vm.unregistered' });
  rt.vcenterRef().send({ type: 'inventory.vmUnregistered', vmIds });
  rt.vcenterRef().send({ type: 'inventory.hostRemoved', hostId });
  rt.hostRef(hostId).send({ type: 'host.removed' });
  rt.log({ eventTypeId: EVENT.hostRemoved, objectId: hostId, message: `Host ${host.name} removed from vCenter (its running VMs keep running).` });
  return `Host ${host.name} removed from vCenter ${vc.name}.`;
}

/**
 * Adds a host to the current vCenter. Its VMs come into the inventory with it. The host reports the keys it holds:
 * key IDs, an NKP's only when proved under the provider configured here (a restored NKP's, in doomsday A: the same
 * KDK derives the same KEK), so the new vCenter's key database is repopulated from running hosts. Powered-off VMs
 * whose key this vCenter cannot serve are locked, with the reason and the fix.
 */
export async function addHostCommand(rt: LabRuntime, hostId: string): Promise<string> {
  const vc = rt.requireVcenter();
  const host = rt.host(hostId);
  rt.hostRef(hostId).send({ type: 'host.added' });
  rt.vcenterRef().send({ type: 'inventory.hostAdded', hostId });
  const vms = rt.vmRefs().map((r) => r.getSnapshot().context).filter((vm) => vm.hostId === hostId);
  for (const vm of vms) rt.vmRef(vm.id).send({ type: 'vm.registered', hostId });
  rt.vcenterRef().send({ type: 'inventory.vmRegistered', vmIds: vms.map((vm) => vm.id) });
  if (host.power === 'on') await pushKdksToHosts(rt, hostId);

  const { entries, refused } = await reportHostKeysWithRefusals(rt, hostId);
  // vCenter checks the keys of the VMs it takes in: those it cannot serve are locked, with the reason and the fix.
  const locked = await lockVmsVcenterCannotServe(rt, vms.map((vm) => vm.id));
  rt.log({ eventTypeId: EVENT.hostAdded, objectId: hostId, message: `Host ${host.name} added to vCenter ${vc.name} with ${vms.length} VM(s).` });
  return (
    `Host ${host.name} added to vCenter ${vc.name} with ${vms.length} VM(s)${entries.length ? `; ${entries.length} key(s) reported to the key database` : ''}.` +
    (refused.length ? ` ${refused.length} key report(s) refused: ${refused[0]}` : '') +
    (locked.length ? ` Locked (vCenter cannot serve their keys): ${locked.join(', ')}.` : '')
  );
}

/**
 * Enables host encryption mode (cryptoState safe). As vSphere documents for recovery, doing so on a host with locked
 * VMs makes vCenter push their keys again: the VMs whose keys can now be had are unlocked.
 */
export async function enableEncryptionModeCommand(rt: LabRuntime, hostId: string): Promise<string> {
  const host = rt.host(hostId);
  rt.hostRef(hostId).send({ type: 'host.cryptoStateSet', cryptoState: 'safe' });
  await pushKdksToHosts(rt, hostId);
  const unlocked: string[] = [];
  for (const vm of rt.vmRefs().map((r) => r.getSnapshot().context)) {
    if (!vm.locked || vm.hostId !== hostId || !vm.registered) continue;
    try {
      const files = await readFilesOf(rt, vm);
      // The same checks as an unlock: vCenter's provider first, then the key on the host and what it opens.
      await openVmKeysOrLock(rt, vm.id, hostId, files, { lock: false });
      rt.vmRef(vm.id).send({ type: 'vm.unlocked' });
      rt.log({ eventTypeId: EVENT.vmUnlocked, objectId: vm.id, message: `VM ${vm.name} unlocked: host encryption mode re-enabled and its key pushed.` });
      unlocked.push(vm.name);
    } catch {
      // Still missing: it stays locked, and the learner sees why on the VM.
    }
  }
  rt.logCrypto('EnableHostEncryption', null, hostId, `Encryption mode of host ${host.name} is safe.`);
  return `Host ${host.name} is in encryption mode (safe)${unlocked.length ? `; unlocked: ${unlocked.join(', ')}` : ''}.`;
}


/** Disabling encryption mode (refused while encrypted VMs are registered on the host): pendingIncapable until reboot. */
export function disableEncryptionModeCommand(rt: LabRuntime, hostId: string): string {
  const host = rt.host(hostId);
  rt.hostRef(hostId).send({ type: 'host.cryptoStateSet', cryptoState: 'pendingIncapable' });
  rt.logCrypto('DisableHostEncryption', null, hostId, `Encryption mode of host ${host.name} is pendingIncapable until it reboots.`);
  return `Host ${host.name}: encryption mode pendingIncapable; it becomes incapable at the next reboot.`;
}
