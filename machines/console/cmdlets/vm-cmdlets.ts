// VM life cycle: Start-VM, Stop-VM, New-VM -VMFilePath (register), Remove-VM (unregister), Move-VM, Unlock-VM,
// snapshots and the vTPM. Each sends the same lab command the UI's button sends; the rules are the commands' own.
import type { CmdletDef } from '../cmdlet';
import { vmObject } from '../lab-objects';
import { PsObject, toPsString } from '../ps-values';
import { cmdlet, MODULE, RUN_ASYNC, SERVER } from './define';
import { runOnVms } from './run-on';
import { givenOrPiped, resolveObjects, targetVms, visibleHosts, visibleVms } from './resolve';

const VM_PARAM = { name: 'VM', type: 'objects', position: 0, pipeline: true, mandatory: true, help: 'VM objects or names.' } as const;

const startVM = cmdlet({
  name: 'Start-VM',
  module: MODULE.core,
  needsConnection: true,
  synopsis: 'Powers on virtual machines.',
  labNotes: 'A locked VM, a VM with an unfinished operation or a VM whose host is off or not connected is refused with the same reason the UI shows.',
  params: [VM_PARAM, RUN_ASYNC, SERVER],
  shouldProcess: 'Medium',
  async run(ctx) {
    await runOnVms(ctx, targetVms(ctx), { task: 'PowerOnVM_Task', action: 'Start-VM', description: 'Power on' }, (vm) => ({ type: 'vm.powerOn', vmId: vm.id }));
  },
});

const stopVM = cmdlet({
  name: 'Stop-VM',
  module: MODULE.core,
  needsConnection: true,
  synopsis: 'Powers off virtual machines (asks first unless -Confirm:$false).',
  labNotes: "A powered-off VM's keys stay in its host's key cache until the host reboots, as in vSphere.",
  params: [VM_PARAM, { name: 'Kill', type: 'switch' }, RUN_ASYNC, SERVER],
  shouldProcess: 'High',
  async run(ctx) {
    await runOnVms(ctx, targetVms(ctx), { task: 'PowerOffVM_Task', action: 'Stop-VM', description: 'Power off' }, (vm) => ({ type: 'vm.powerOff', vmId: vm.id }));
  },
});

/** "[ds-shared-01] db-01/db-01.vmx" → datastore name and folder. */
function parseVmFilePath(path: string): { datastore: string; folder: string } | null {
  const m = /^\s*\[([^\]]+)\]\s*(.+?)\s*$/.exec(path);
  if (!m) return null;
  const parts = m[2]!.split('/');
  if (parts.length < 2 || !parts[parts.length - 1]!.toLowerCase().endsWith('.vmx')) return null;
  return { datastore: m[1]!, folder: parts.slice(0, -1).join('/') };
}

const newVM = cmdlet({
  name: 'New-VM',
  module: MODULE.core,
  needsConnection: true,
  synopsis: "Registers a VM from its .vmx on a datastore (New-VM -VMFilePath), as the vSphere Client's \"Register VM\".",
  labNotes: 'Only registering is supported (-VMFilePath); the lab does not create new VMs. Get-Datastore shows the VM folders (VMFilePaths). An encrypted VM is registered with its key read from its files.',
  examples: ['New-VM -VMFilePath "[ds-shared-01] db-01/db-01.vmx" -VMHost esx-01.lab.local'],
  params: [
    { name: 'VMFilePath', type: 'string', mandatory: true },
    { name: 'VMHost', type: 'objects' },
    { name: 'ResourcePool', type: 'objects' },
    { name: 'Name', type: 'string' },
    RUN_ASYNC,
    SERVER,
  ],
  shouldProcess: 'Medium',
  async run(ctx) {
    const path = ctx.args.get('VMFilePath') as string;
    const view = ctx.view();
    const parsed = parseVmFilePath(path);
    if (!parsed) {
      return ctx.fail({ message: `'${path}' is not a datastore path to a .vmx. Use the form "[datastore] folder/name.vmx" (Get-Datastore | Select-Object -ExpandProperty VMFilePaths).`, category: 'InvalidArgument', errorId: 'Core_NewVM_InvalidVMFilePath', exception: 'VimException' });
    }
    const ds = view.datastores.find((d) => d.name.toLowerCase() === parsed.datastore.toLowerCase());
    if (!ds || !ds.folders.some((f) => f.toLowerCase() === parsed.folder.toLowerCase())) {
      return ctx.fail({ message: `File ${path} was not found.`, category: 'ObjectNotFound', errorId: 'Client20_VmServiceImpl_RegisterVm_FileNotFound', exception: 'VimException', target: { name: path, type: 'String' } });
    }
    const folder = ds.folders.find((f) => f.toLowerCase() === parsed.folder.toLowerCase())!;
    let hostId: string | undefined;
    if (ctx.args.has('VMHost')) {
      const hosts = resolveObjects(ctx, ctx.args.get('VMHost') as unknown[], visibleHosts(ctx, view), 'VMHost', 'HostSystem-', 'VMHost');
      if (!hosts[0]) return;
      hostId = hosts[0].id;
    }
    if (!(await ctx.shouldProcess(path, 'New-VM'))) return;
    const before = new Set(visibleVms(ctx, view).map((v) => v.id));
    const result = await ctx.runTask({ type: 'vm.register', datastoreId: ds.id, folder, ...(hostId ? { hostId } : {}) }, { name: 'RegisterVM_Task', target: path, description: `Register ${path}` });
    if (result?.ok) {
      const now = ctx.view();
      const vm = visibleVms(ctx, now).find((v) => !before.has(v.id) && v.folder === folder && v.datastoreId === ds.id);
      if (vm) ctx.write(vmObject(now, vm));
    }
  },
});

const removeVM = cmdlet({
  name: 'Remove-VM',
  module: MODULE.core,
  needsConnection: true,
  synopsis: "Removes VMs from the inventory; their files stay on the datastore (the vSphere Client's \"Remove from Inventory\").",
  labNotes: '-DeletePermanently is not supported: the lab never deletes a VM\'s files.',
  params: [VM_PARAM, { name: 'DeletePermanently', type: 'switch' }, RUN_ASYNC, SERVER],
  shouldProcess: 'High',
  async run(ctx) {
    if (ctx.args.flag('DeletePermanently')) {
      return ctx.fail({ message: "The lab never deletes a VM's files: -DeletePermanently is not supported. Remove-VM without it removes the VM from the inventory and keeps its files.", category: 'NotImplemented', errorId: 'NotSupportedInLab', exception: 'VimException' });
    }
    await runOnVms(ctx, targetVms(ctx), { task: 'UnregisterVM', action: 'Remove-VM', description: 'Remove from inventory' }, (vm) => ({ type: 'vm.unregister', vmId: vm.id }), false);
  },
});

const moveVM = cmdlet({
  name: 'Move-VM',
  module: MODULE.core,
  needsConnection: true,
  synopsis: 'Migrates VMs to another host of the cluster (vMotion when on, cold migration when off).',
  labNotes: 'Only -Destination as a VMHost is supported (no storage vMotion). An encrypted VM needs Cryptographer.Migrate.',
  params: [VM_PARAM, { name: 'Destination', type: 'objects', position: 1, mandatory: true }, RUN_ASYNC, SERVER],
  shouldProcess: 'Medium',
  async run(ctx) {
    const hosts = resolveObjects(ctx, ctx.args.get('Destination') as unknown[], visibleHosts(ctx), 'VMHost', 'HostSystem-', 'VMHost');
    const target = hosts[0];
    if (!target) return;
    await runOnVms(ctx, targetVms(ctx), { task: 'RelocateVM_Task', action: `Move-VM to ${target.name}`, description: `Migrate to ${target.name}:` }, (vm) => ({ type: 'vm.migrate', vmId: vm.id, hostId: target.id }));
  },
});

const unlockVM = cmdlet({
  name: 'Unlock-VM',
  module: MODULE.security,
  needsConnection: true,
  synopsis: 'Unlocks an encrypted VM that was locked because its key was missing, once the key is available again.',
  params: [{ ...VM_PARAM, position: undefined }, RUN_ASYNC, SERVER],
  async run(ctx) {
    await runOnVms(ctx, targetVms(ctx), { task: 'CryptoUnlock_Task', action: 'Unlock-VM', description: 'Unlock' }, (vm) => ({ type: 'vm.unlock', vmId: vm.id }));
  },
});

const snapshotObjects = (ctx: Parameters<CmdletDef['run']>[0], vmId: string) => {
  const vm = ctx.view().vms.find((v) => v.id === vmId);
  if (!vm) return [];
  // The lab keeps how many snapshots a VM has, not their names or trees: they are numbered.
  return Array.from({ length: vm.snapshots }, (_, i) => new PsObject('Snapshot', { Name: `Snapshot ${i + 1}`, Id: `VirtualMachineSnapshot-${vm.id}-${i + 1}`, VM: vm.name, VMId: vm.id, Description: '' }));
};

const newSnapshot = cmdlet({
  name: 'New-Snapshot',
  module: MODULE.core,
  needsConnection: true,
  synopsis: 'Takes a snapshot of VMs.',
  labNotes: "The lab counts a VM's snapshots; it keeps no names (-Name is required, as in PowerCLI, and not kept). A VM with snapshots cannot be encrypted or deep re-keyed.",
  params: [VM_PARAM, { name: 'Name', type: 'string', position: 1, mandatory: true }, { name: 'Description', type: 'string' }, { name: 'Memory', type: 'switch' }, { name: 'Quiesce', type: 'switch' }, RUN_ASYNC, SERVER],
  shouldProcess: 'Medium',
  async run(ctx) {
    for (const vm of targetVms(ctx)) {
      if (!(await ctx.shouldProcess(vm.name, 'New-Snapshot'))) continue;
      const result = await ctx.runTask({ type: 'vm.takeSnapshot', vmId: vm.id }, { name: 'CreateSnapshot_Task', target: vmObject(ctx.view(), vm), description: `Create snapshot of ${vm.name}` });
      if (result?.ok) ctx.write(snapshotObjects(ctx, vm.id).at(-1));
    }
  },
});

const getSnapshot = cmdlet({
  name: 'Get-Snapshot',
  module: MODULE.core,
  needsConnection: true,
  synopsis: "Retrieves VMs' snapshots (numbered: the lab keeps no names).",
  params: [{ ...VM_PARAM, mandatory: false }, { name: 'Name', type: 'strings', position: 1 }, SERVER],
  async run(ctx) {
    const vms = ctx.args.has('VM') || ctx.input.length ? targetVms(ctx) : visibleVms(ctx);
    for (const vm of vms) for (const s of snapshotObjects(ctx, vm.id)) ctx.write(s);
  },
});

const removeSnapshot = cmdlet({
  name: 'Remove-Snapshot',
  module: MODULE.core,
  needsConnection: true,
  synopsis: "Deletes a VM's snapshots.",
  labNotes: "The lab deletes all of a VM's snapshots at once (\"Delete All Snapshots\"): pass all of them, e.g. Get-Snapshot -VM db-01 | Remove-Snapshot -Confirm:$false.",
  params: [{ name: 'Snapshot', type: 'objects', position: 0, pipeline: true, mandatory: true }, { name: 'RemoveChildren', type: 'switch' }, RUN_ASYNC],
  shouldProcess: 'High',
  async run(ctx) {
    const given = givenOrPiped(ctx, 'Snapshot').flat();
    const byVm = new Map<string, number>();
    for (const s of given) {
      if (!(s instanceof PsObject) || s.typeName !== 'Snapshot') {
        ctx.writeError({ message: `Cannot bind '${toPsString(s)}' to -Snapshot: pass snapshot objects (Get-Snapshot -VM <vm>).`, category: 'InvalidArgument', errorId: 'ParameterArgumentTransformationError', exception: 'ParameterBindingException' });
        continue;
      }
      const vmId = String(s.get('VMId'));
      byVm.set(vmId, (byVm.get(vmId) ?? 0) + 1);
    }
    for (const [vmId, count] of byVm) {
      const vm = ctx.view().vms.find((v) => v.id === vmId);
      if (!vm) continue;
      if (count < vm.snapshots) {
        ctx.writeError({ message: `The lab deletes all of VM ${vm.name}'s snapshots at once; ${count} of ${vm.snapshots} were given. Pass them all: Get-Snapshot -VM ${vm.name} | Remove-Snapshot.`, category: 'NotImplemented', errorId: 'NotSupportedInLab', exception: 'VimException' });
        continue;
      }
      if (!(await ctx.shouldProcess(vm.name, 'Remove all snapshots'))) continue;
      await ctx.runTask({ type: 'vm.deleteSnapshots', vmId }, { name: 'RemoveAllSnapshots_Task', target: vmObject(ctx.view(), vm), description: `Remove all snapshots of ${vm.name}` });
    }
  },
});

const vtpmObject = (vmName: string, vmId: string) => new PsObject('VTpm', { Name: 'Virtual TPM', VM: vmName, VMId: vmId, Id: `VTpm-${vmId}` });

const newVTpm = cmdlet({
  name: 'New-VTpm',
  module: MODULE.security,
  needsConnection: true,
  synopsis: "Adds a Virtual TPM to a powered-off VM (its VM home files get encrypted with the default provider's key).",
  params: [VM_PARAM, RUN_ASYNC, SERVER],
  shouldProcess: 'Medium',
  async run(ctx) {
    for (const vm of targetVms(ctx)) {
      if (!(await ctx.shouldProcess(vm.name, 'New-VTpm'))) continue;
      const result = await ctx.runTask({ type: 'vm.addVtpm', vmId: vm.id }, { name: 'ReconfigVM_Task', target: vmObject(ctx.view(), vm), description: `Add a Virtual TPM to ${vm.name}` });
      if (result?.ok) ctx.write(vtpmObject(vm.name, vm.id));
    }
  },
});

const getVTpm = cmdlet({
  name: 'Get-VTpm',
  module: MODULE.security,
  needsConnection: true,
  synopsis: "Retrieves VMs' Virtual TPMs.",
  params: [{ ...VM_PARAM, mandatory: false }, SERVER],
  async run(ctx) {
    const vms = ctx.args.has('VM') || ctx.input.length ? targetVms(ctx) : visibleVms(ctx);
    for (const vm of vms) if (vm.vtpm) ctx.write(vtpmObject(vm.name, vm.id));
  },
});

const removeVTpm = cmdlet({
  name: 'Remove-VTpm',
  module: MODULE.security,
  needsConnection: true,
  synopsis: 'Removes a Virtual TPM from a powered-off VM.',
  params: [{ name: 'VTpm', type: 'objects', position: 0, pipeline: true, mandatory: true }, RUN_ASYNC, SERVER],
  shouldProcess: 'High',
  async run(ctx) {
    const given = givenOrPiped(ctx, 'VTpm').flat();
    for (const t of given) {
      if (!(t instanceof PsObject) || t.typeName !== 'VTpm') {
        ctx.writeError({ message: `Cannot bind '${toPsString(t)}' to -VTpm: pass Get-VTpm's objects.`, category: 'InvalidArgument', errorId: 'ParameterArgumentTransformationError', exception: 'ParameterBindingException' });
        continue;
      }
      const vmId = String(t.get('VMId'));
      const vm = ctx.view().vms.find((v) => v.id === vmId);
      if (!vm || !(await ctx.shouldProcess(vm.name, 'Remove-VTpm'))) continue;
      await ctx.runTask({ type: 'vm.removeVtpm', vmId }, { name: 'ReconfigVM_Task', target: vmObject(ctx.view(), vm), description: `Remove the Virtual TPM of ${vm.name}` });
    }
  },
});

export const VM_CMDLETS: CmdletDef[] = [startVM, stopVM, newVM, removeVM, moveVM, unlockVM, newSnapshot, getSnapshot, removeSnapshot, newVTpm, getVTpm, removeVTpm];
