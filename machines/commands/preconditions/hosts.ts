// Preconditions of the ESXi host commands: power, reboot, connection, inventory, TPM, the encrypted configuration
// (recovery key, recovery, reinstall, the boot-disk copy), encryption mode.
import { parseRecoveryKey } from '@/lib/crypto/host-configuration';
import { refuse } from '../lab-refusal';
import type { HostView, LabCommand, LabView } from '../../lab-types';
import { hostOf, requirePrivilege, requireVcenter } from './view-rules';

/** A host whose TPM was cleared stops at boot: nothing runs on it until its configuration is recovered or ESXi reinstalled. */
function refuseIfLocked(host: HostView): void {
  if (host.configuration.locked) {
    refuse(
      'HOST_CONFIG_LOCKED',
      `Host ${host.name} stops at boot: “Unable to restore system configuration. A security violation was detected.” Its TPM was cleared, so its configuration cannot be unsealed: recover it with its recovery key, or reinstall ESXi.`,
    );
  }
}

type Of<T extends LabCommand['type']> = Extract<LabCommand, { type: T }>;
type HostCommand = { hostId: string };

export const hostChecks = {
  'host.reboot': (view: LabView, c: HostCommand) => {
    const host = hostOf(view, c.hostId);
    refuseIfLocked(host);
    if (host.power !== 'on') refuse('HOST_OFF', `Host ${host.name} is powered off; power it on instead.`);
  },
  'host.powerOff': (view: LabView, c: HostCommand) => {
    const host = hostOf(view, c.hostId);
    if (host.power !== 'on') refuse('HOST_OFF', `Host ${host.name} is already powered off.`);
  },
  'host.powerOn': (view: LabView, c: HostCommand) => {
    const host = hostOf(view, c.hostId);
    refuseIfLocked(host);
    if (host.power === 'on') refuse('HOST_ON', `Host ${host.name} is already powered on.`);
  },
  'host.disconnect': (view: LabView, c: HostCommand) => {
    requireVcenter(view);
    const host = hostOf(view, c.hostId);
    if (host.connection !== 'connected') refuse('HOST_NOT_CONNECTED', `Host ${host.name} is not connected.`);
  },
  'host.connect': (view: LabView, c: HostCommand) => {
    requireVcenter(view);
    const host = hostOf(view, c.hostId);
    if (host.connection !== 'disconnected') {
      refuse('HOST_NOT_DISCONNECTED', `Host ${host.name} is ${host.connection === 'removed' ? 'not in the inventory: add it' : 'already connected'}.`);
    }
  },
  'host.remove': (view: LabView, c: HostCommand) => {
    const vc = requirePrivilege(view, 'Host.Inventory.RemoveHostFromCluster');
    const host = hostOf(view, c.hostId);
    if (!vc.hostIds.includes(c.hostId)) refuse('HOST_NOT_IN_INVENTORY', `Host ${host.name} is not in vCenter ${vc.name}.`);
  },
  'host.add': (view: LabView, c: HostCommand) => {
    const vc = requirePrivilege(view, 'Host.Inventory.AddHostToCluster');
    const host = hostOf(view, c.hostId);
    if (vc.hostIds.includes(c.hostId)) refuse('HOST_IN_INVENTORY', `Host ${host.name} is already in vCenter ${vc.name}.`);
  },
  'host.clearTpm': (view: LabView, c: HostCommand) => {
    const host = hostOf(view, c.hostId);
    if (!host.hasTpm) refuse('NO_TPM', `Host ${host.name} has no TPM 2.0.`);
  },
  /** esxcli lists the recovery key of a running host whose configuration the TPM seals. */
  'host.keepRecoveryKey': (view: LabView, c: HostCommand) => {
    const host = hostOf(view, c.hostId);
    if (!host.hasTpm) {
      refuse('NO_TPM', `Host ${host.name} has no TPM 2.0: its configuration key lies on its boot disk, and there is no recovery key to list.`);
    }
    refuseIfLocked(host);
    if (host.power !== 'on') refuse('HOST_OFF', `Host ${host.name} is powered off: esxcli runs on a running host. Power it on first.`);
  },
  'host.recoverConfiguration': (view: LabView, c: Of<'host.recoverConfiguration'>) => {
    const host = hostOf(view, c.hostId);
    if (!host.configuration.locked) refuse('HOST_CONFIG_NOT_LOCKED', `Host ${host.name} boots normally: its configuration is not locked, so there is nothing to recover.`);
    if (c.recoveryKey !== undefined) {
      const parsed = parseRecoveryKey(c.recoveryKey);
      if ('problem' in parsed) refuse('BAD_RECOVERY_KEY', parsed.problem);
      return;
    }
    if (!host.configuration.recoveryKeyKept) {
      refuse(
        'NO_RECOVERY_KEY',
        host.configuration.keptRecoveryKeyStale
          ? `The recovery key kept for ${host.name} belongs to an earlier install of ESXi (a reinstall made a new one): it opens nothing now. Without the current key, reinstall ESXi.`
          : `No recovery key of ${host.name} was kept (esxcli system settings encryption recovery list shows it only while the host runs). Without it the configuration cannot be recovered: reinstall ESXi, then connect or add the host to vCenter again.`,
      );
    }
  },
  'host.reinstall': (view: LabView, c: HostCommand) => {
    const host = hostOf(view, c.hostId);
    const busy = view.vms.find((vm) => vm.hostId === c.hostId && vm.operation && !vm.operation.interrupted);
    if (busy) refuse('VM_BUSY', `VM ${busy.name} on host ${host.name} is being re-encrypted: let it finish first.`);
  },
  'host.copyBootDisk': (view: LabView, c: Of<'host.copyBootDisk'>) => {
    hostOf(view, c.hostId);
    const vm = view.vms.find((v) => v.id === c.vmId);
    if (!vm) refuse('NO_SUCH_VM', `There is no VM "${c.vmId}" on any datastore.`);
    if (!vm.encryption) refuse('NOT_ENCRYPTED', `VM ${vm.name}'s disks are not encrypted: a copy of them is readable without any key. Pick an encrypted VM.`);
  },
  'host.enableEncryptionMode': (view: LabView, c: HostCommand) => {
    requirePrivilege(view, 'Cryptographer.RegisterHost');
    hostOf(view, c.hostId);
  },
  /** Refused while encrypted VMs are registered on the host. */
  'host.disableEncryptionMode': (view: LabView, c: Of<'host.disableEncryptionMode'>) => {
    requirePrivilege(view, 'Cryptographer.RegisterHost');
    const host = hostOf(view, c.hostId);
    const encrypted = view.vms.filter((vm) => vm.hostId === c.hostId && vm.registered && (vm.encryption || vm.homeEncryption));
    if (encrypted.length > 0) {
      refuse(
        'ENCRYPTED_VMS_ON_HOST',
        `Host ${host.name} has encrypted virtual machines (${encrypted.map((vm) => vm.name).join(', ')}): its encryption mode cannot be disabled. Decrypt them, or move them to another host, first.`,
      );
    }
  },
};
