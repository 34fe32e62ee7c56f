// Preconditions of the ESXi host commands: power, reboot, connection, inventory, TPM, encryption mode.
import { refuse } from '../lab-refusal';
import type { LabCommand, LabView } from '../../lab-types';
import { hostOf, requirePrivilege, requireVcenter } from './view-rules';

type Of<T extends LabCommand['type']> = Extract<LabCommand, { type: T }>;
type HostCommand = { hostId: string };

export const hostChecks = {
  'host.reboot': (view: LabView, c: HostCommand) => {
    const host = hostOf(view, c.hostId);
    if (host.power !== 'on') refuse('HOST_OFF', `Host ${host.name} is powered off; power it on instead.`);
  },
  'host.powerOff': (view: LabView, c: HostCommand) => {
    const host = hostOf(view, c.hostId);
    if (host.power !== 'on') refuse('HOST_OFF', `Host ${host.name} is already powered off.`);
  },
  'host.powerOn': (view: LabView, c: HostCommand) => {
    const host = hostOf(view, c.hostId);
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
