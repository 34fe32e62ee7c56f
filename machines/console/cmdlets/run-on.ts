// The common shape of a cmdlet that changes the lab: for each target, ShouldProcess (-WhatIf / -Confirm), then the
// lab command as a vSphere task (RunAsync or waited for, a refusal written with the lab's own reason), then the
// object as it is now, as PowerCLI returns it.
import type { HostView, LabCommand, VmView } from '../../lab-types';
import type { CmdletContext } from '../cmdlet';
import { hostObject, vmObject } from '../lab-objects';

export interface TaskSpec {
  /** vSphere's task name, e.g. PowerOnVM_Task. */
  task: string;
  /** The operation as ShouldProcess names it. */
  action: string;
  description: string;
}

export async function runOnVms(ctx: CmdletContext, vms: VmView[], spec: TaskSpec, command: (vm: VmView) => LabCommand | null, output = true): Promise<void> {
  for (const vm of vms) {
    ctx.step();
    const cmd = command(vm);
    if (!cmd) continue;
    if (!(await ctx.shouldProcess(vm.name, spec.action))) continue;
    const result = await ctx.runTask(cmd, { name: spec.task, target: vmObject(ctx.view(), vm), description: `${spec.description} ${vm.name}` });
    if (result?.ok && output) {
      const now = ctx.view().vms.find((v) => v.id === vm.id);
      if (now) ctx.write(vmObject(ctx.view(), now));
    }
  }
}

export async function runOnHosts(ctx: CmdletContext, hosts: HostView[], spec: TaskSpec, command: (host: HostView) => LabCommand, output = true): Promise<void> {
  for (const host of hosts) {
    ctx.step();
    if (!(await ctx.shouldProcess(host.name, spec.action))) continue;
    const result = await ctx.runTask(command(host), { name: spec.task, target: hostObject(host), description: `${spec.description} ${host.name}` });
    if (result?.ok && output) {
      const now = ctx.view().hosts.find((h) => h.id === host.id);
      if (now) ctx.write(hostObject(now));
    }
  }
}
