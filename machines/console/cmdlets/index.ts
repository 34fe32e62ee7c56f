// Every cmdlet the console knows, in the order Get-Help lists them.
import type { CmdletDef } from '../cmdlet';
import { ENCRYPTION_CMDLETS } from './encryption-cmdlets';
import { HELP_CMDLETS } from './help-cmdlets';
import { HOST_CMDLETS } from './host-cmdlets';
import { INVENTORY_CMDLETS } from './inventory-cmdlets';
import { KEY_PROVIDER_CMDLETS } from './key-provider-cmdlets';
import { SESSION_CMDLETS } from './session-cmdlets';
import { TASK_CMDLETS } from './task-cmdlets';
import { UTILITY_CMDLETS } from './utility-cmdlets';
import { VM_CMDLETS } from './vm-cmdlets';

export const ALL_CMDLETS: CmdletDef[] = [
  ...SESSION_CMDLETS,
  ...INVENTORY_CMDLETS,
  ...VM_CMDLETS,
  ...HOST_CMDLETS,
  ...KEY_PROVIDER_CMDLETS,
  ...ENCRYPTION_CMDLETS,
  ...TASK_CMDLETS,
  ...UTILITY_CMDLETS,
  ...HELP_CMDLETS,
];
