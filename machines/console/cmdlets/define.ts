// Shorthands for declaring cmdlets: the module, the class name PowerShell puts in FullyQualifiedErrorId, and the
// parameters every PowerCLI cmdlet of a kind shares (-Server, -RunAsync).
import type { CmdletDef, ParamDef } from '../cmdlet';

export const MODULE = {
  core: 'VMware.VimAutomation.Core',
  storage: 'VMware.VimAutomation.Storage',
  security: 'VMware.VimAutomation.Security',
  vmEncryption: 'VMware.VMEncryption',
  psCore: 'Microsoft.PowerShell.Core',
  psUtility: 'Microsoft.PowerShell.Utility',
  psSecurity: 'Microsoft.PowerShell.Security',
} as const;

const CLASS_PREFIX: Record<string, string> = {
  [MODULE.core]: 'VMware.VimAutomation.ViCore.Cmdlets.Commands.',
  [MODULE.storage]: 'VMware.VimAutomation.Storage.Commands.',
  [MODULE.security]: 'VMware.VimAutomation.Security.Commands.',
  [MODULE.psCore]: 'Microsoft.PowerShell.Commands.',
  [MODULE.psUtility]: 'Microsoft.PowerShell.Commands.',
  [MODULE.psSecurity]: 'Microsoft.PowerShell.Commands.',
};

export function cmdlet(def: Omit<CmdletDef, 'commandClass'> & { commandClass?: string }): CmdletDef {
  const prefix = CLASS_PREFIX[def.module];
  // A script module's function (VMware.VMEncryption) is named by itself in FullyQualifiedErrorId.
  const commandClass = def.commandClass ?? (prefix ? `${prefix}${def.name.replace('-', '')}${def.module.startsWith('Microsoft') ? 'Command' : ''}` : def.name);
  return { ...def, commandClass };
}

export const SERVER: ParamDef = { name: 'Server', type: 'strings', help: 'Accepted; the lab has one vCenter Server.' };
export const RUN_ASYNC: ParamDef = { name: 'RunAsync', type: 'switch', help: 'Returns a Task object at once; follow it with Get-Task or Wait-Task.' };
