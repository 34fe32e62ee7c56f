// vCenter's users, roles and the Cryptographer.* privileges that guard every cryptographic operation.
import type { UserView } from '../lab-types';

export const CRYPTOGRAPHER_PRIVILEGES = [
  'Cryptographer.Access',
  'Cryptographer.AddDisk',
  'Cryptographer.Clone',
  'Cryptographer.Decrypt',
  'Cryptographer.Encrypt',
  'Cryptographer.EncryptNew',
  'Cryptographer.ManageEncryptionPolicy',
  'Cryptographer.ManageKeyServers',
  'Cryptographer.ManageKeys',
  'Cryptographer.Migrate',
  'Cryptographer.Recrypt',
  'Cryptographer.RegisterHost',
  'Cryptographer.RegisterVM',
  'Cryptographer.ReadKeyServersInfo',
] as const;

export type CryptographerPrivilege = (typeof CRYPTOGRAPHER_PRIVILEGES)[number];

/** The non-cryptographic privileges the lab checks (a small subset of vSphere's). */
export const GENERAL_PRIVILEGES = [
  'System.View',
  'System.Read',
  'VirtualMachine.Interact.PowerOn',
  'VirtualMachine.Interact.PowerOff',
  'VirtualMachine.Interact.GuestControl',
  'VirtualMachine.Config.AddRemoveDevice',
  'VirtualMachine.State.CreateSnapshot',
  'VirtualMachine.State.RemoveSnapshot',
  'VirtualMachine.Inventory.Register',
  'VirtualMachine.Inventory.Unregister',
  'Host.Inventory.AddHostToCluster',
  'Host.Inventory.RemoveHostFromCluster',
  'Host.Config.Maintenance',
] as const;

export type Privilege = CryptographerPrivilege | (typeof GENERAL_PRIVILEGES)[number];

export type RoleName = UserView['role'];

export const ROLE_PRIVILEGES: Record<RoleName, readonly Privilege[]> = {
  Administrator: [...GENERAL_PRIVILEGES, ...CRYPTOGRAPHER_PRIVILEGES],
  // vSphere's sample role: Administrator without any Cryptographer.* privilege.
  'No cryptography administrator': [...GENERAL_PRIVILEGES],
  'Read-only': ['System.View', 'System.Read'],
};

export const ADMINISTRATOR = 'administrator@vsphere.local';

export function defaultUsers(): UserView[] {
  const user = (name: string, role: RoleName): UserView => ({ name, role, privileges: [...ROLE_PRIVILEGES[role]] });
  return [
    user(ADMINISTRATOR, 'Administrator'),
    user('vm-operator@vsphere.local', 'No cryptography administrator'),
    user('auditor@vsphere.local', 'Read-only'),
  ];
}

export function hasPrivilege(user: UserView | undefined, privilege: Privilege): boolean {
  return !!user && user.privileges.includes(privilege);
}

/** vSphere's NoPermission fault text. */
export function noPermissionReason(userName: string, privilege: Privilege): string {
  return `Permission to perform this operation was denied. User ${userName} does not hold the privilege ${privilege}.`;
}
