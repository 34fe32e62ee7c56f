// ESXi hosts: Restart-VMHost, Start-VMHost, Stop-VMHost, Set-VMHost -State, Add-VMHost, Remove-VMHost, and the
// VMware.VMEncryption module's Enable-VMHostCryptoSafe (the host's encryption mode). Each is the UI's lab command.
import type { CmdletDef } from '../cmdlet';
import { hostObject } from '../lab-objects';
import { cmdlet, MODULE, RUN_ASYNC, SERVER } from './define';
import { runOnHosts } from './run-on';
import { targetHosts } from './resolve';

const HOST_PARAM = { name: 'VMHost', type: 'objects', position: 0, pipeline: true, mandatory: true, help: 'VMHost objects or names.' } as const;

const restartVMHost = cmdlet({
  name: 'Restart-VMHost',
  module: MODULE.core,
  needsConnection: true,
  synopsis: "Reboots ESXi hosts: keys in the host's memory are gone; its encrypted configuration (and the NKP KDK in it) stays.",
  labNotes: 'The lab reboots without maintenance mode: -Force is accepted. Running VMs are powered off by the reboot.',
  params: [HOST_PARAM, { name: 'Force', type: 'switch' }, { name: 'Evacuate', type: 'switch' }, { name: 'Reason', type: 'string' }, RUN_ASYNC, SERVER],
  shouldProcess: 'High',
  async run(ctx) {
    await runOnHosts(ctx, targetHosts(ctx), { task: 'RebootHost_Task', action: 'Restart-VMHost', description: 'Reboot' }, (h) => ({ type: 'host.reboot', hostId: h.id }));
  },
});

const startVMHost = cmdlet({
  name: 'Start-VMHost',
  module: MODULE.core,
  needsConnection: true,
  synopsis: 'Powers on ESXi hosts.',
  params: [HOST_PARAM, RUN_ASYNC, SERVER],
  shouldProcess: 'Medium',
  async run(ctx) {
    await runOnHosts(ctx, targetHosts(ctx), { task: 'PowerUpHostFromStandBy_Task', action: 'Start-VMHost', description: 'Power on' }, (h) => ({ type: 'host.powerOn', hostId: h.id }));
  },
});

const stopVMHost = cmdlet({
  name: 'Stop-VMHost',
  module: MODULE.core,
  needsConnection: true,
  synopsis: 'Shuts ESXi hosts down.',
  params: [HOST_PARAM, { name: 'Force', type: 'switch' }, { name: 'Reason', type: 'string' }, RUN_ASYNC, SERVER],
  shouldProcess: 'High',
  async run(ctx) {
    await runOnHosts(ctx, targetHosts(ctx), { task: 'ShutdownHost_Task', action: 'Stop-VMHost', description: 'Shut down' }, (h) => ({ type: 'host.powerOff', hostId: h.id }));
  },
});

const setVMHost = cmdlet({
  name: 'Set-VMHost',
  module: MODULE.core,
  needsConnection: true,
  synopsis: 'Connects or disconnects ESXi hosts (-State Connected | Disconnected).',
  labNotes: 'Only -State Connected and Disconnected are supported (no maintenance mode).',
  params: [HOST_PARAM, { name: 'State', type: 'string', mandatory: true }, RUN_ASYNC, SERVER],
  shouldProcess: 'Medium',
  async run(ctx) {
    const state = (ctx.args.get('State') as string).toLowerCase();
    if (state !== 'connected' && state !== 'disconnected') {
      return ctx.fail({ message: `Cannot bind parameter 'State'. The lab supports Connected and Disconnected, not "${ctx.args.get('State') as string}".`, category: 'InvalidArgument', errorId: 'CannotConvertArgumentNoMessage', exception: 'ParameterBindingException' });
    }
    await runOnHosts(
      ctx,
      targetHosts(ctx),
      { task: state === 'connected' ? 'ReconnectHost_Task' : 'DisconnectHost_Task', action: `Set-VMHost -State ${state === 'connected' ? 'Connected' : 'Disconnected'}`, description: state === 'connected' ? 'Connect' : 'Disconnect' },
      (h) => ({ type: state === 'connected' ? 'host.connect' : 'host.disconnect', hostId: h.id }),
    );
  },
});

const addVMHost = cmdlet({
  name: 'Add-VMHost',
  module: MODULE.core,
  needsConnection: true,
  synopsis: "Adds an ESXi host to the lab's vCenter Server (its cluster).",
  labNotes: "-Name is the host's name (e.g. esx-01.lab.local); -User, -Password and -Force are accepted. With NKP, a host added to a new vCenter reports the keys it holds (doomsday A).",
  params: [
    { name: 'Name', type: 'string', position: 0, mandatory: true },
    { name: 'Location', type: 'objects', position: 1 },
    { name: 'User', type: 'string' },
    { name: 'Password', type: 'string' },
    { name: 'Port', type: 'int' },
    { name: 'Force', type: 'switch' },
    RUN_ASYNC,
    SERVER,
  ],
  shouldProcess: 'Medium',
  async run(ctx) {
    const view = ctx.view();
    const name = ctx.args.get('Name') as string;
    const host = view.hosts.find((h) => h.name.toLowerCase() === name.toLowerCase());
    if (!host) {
      return ctx.fail({ message: `Could not resolve the host ${name}. The lab's hosts: ${view.hosts.map((h) => h.name).join(', ')}.`, category: 'ObjectNotFound', errorId: 'Client20_ComputeResourceServiceImpl_AddVMHost_NameResolutionFailure', exception: 'VimException', target: { name, type: 'String' } });
    }
    if (!(await ctx.shouldProcess(host.name, 'Add-VMHost'))) return;
    const result = await ctx.runTask({ type: 'host.add', hostId: host.id }, { name: 'AddHost_Task', target: host.name, description: `Add host ${host.name}` });
    const now = ctx.view().hosts.find((h) => h.id === host.id);
    if (result?.ok && now) ctx.write(hostObject(now));
  },
});

const removeVMHost = cmdlet({
  name: 'Remove-VMHost',
  module: MODULE.core,
  needsConnection: true,
  synopsis: "Removes ESXi hosts from the vCenter Server's inventory.",
  params: [HOST_PARAM, RUN_ASYNC, SERVER],
  shouldProcess: 'High',
  async run(ctx) {
    await runOnHosts(ctx, targetHosts(ctx), { task: 'Destroy_Task', action: 'Remove-VMHost', description: 'Remove host' }, (h) => ({ type: 'host.remove', hostId: h.id }), false);
  },
});

const enableVMHostCryptoSafe = cmdlet({
  name: 'Enable-VMHostCryptoSafe',
  module: MODULE.vmEncryption,
  needsConnection: true,
  synopsis: "Puts ESXi hosts' encryption mode to safe (vSphere's host encryption mode), as the VMware.VMEncryption module does.",
  labNotes: "-KMSClusterId is accepted: the lab uses the default key provider for the host key. Get-VMHost shows CryptoState and CryptoSafe.",
  params: [{ ...HOST_PARAM, position: undefined }, { name: 'KMSClusterId', type: 'string' }],
  async run(ctx) {
    const hosts = targetHosts(ctx);
    for (const h of hosts) {
      if (h.cryptoState === 'safe') {
        ctx.writeError({ message: `The VMHost: ${h.name} CryptoSafe already enabled!`, category: 'NotSpecified', errorId: 'Microsoft.PowerShell.Commands.WriteErrorException', exception: 'WriteErrorException' });
        continue;
      }
      await ctx.runTask({ type: 'host.enableEncryptionMode', hostId: h.id }, { name: 'ConfigureCryptoKey', target: hostObject(h), description: `Enable encryption mode on ${h.name}` });
    }
  },
});

export const HOST_CMDLETS: CmdletDef[] = [restartVMHost, startVMHost, stopVMHost, setVMHost, addVMHost, removeVMHost, enableVMHostCryptoSafe];
