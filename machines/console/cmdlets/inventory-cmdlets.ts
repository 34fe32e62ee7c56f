// Reading the inventory: Get-VM, Get-VMHost, Get-Datastore, Get-Cluster, Get-VIEvent. Each object is built from the
// lab's current view; nothing here changes the lab.
import type { CmdletDef } from '../cmdlet';
import { eventObject, hostObject, vmObject } from '../lab-objects';
import { PsObject } from '../ps-values';
import { byNames, givenOrPiped, resolveObjects, visibleHosts, visibleVms } from './resolve';
import { cmdlet, MODULE, SERVER } from './define';

const getVM = cmdlet({
  name: 'Get-VM',
  module: MODULE.core,
  needsConnection: true,
  synopsis: 'Retrieves the virtual machines in the inventory (with their encryption, key provider and lock state).',
  labNotes: 'Objects carry Name, PowerState, VMHost, Encrypted, KeyProvider, Locked, HasVTpm, Snapshots and ExtensionData.Config.KeyId / ExtensionData.Runtime.CryptoState. -Location accepts a VMHost, -Datastore a datastore.',
  examples: ['Get-VM', 'Get-VM -Name db*', '(Get-VM db-01).ExtensionData.Config.KeyId'],
  params: [
    { name: 'Name', type: 'strings', position: 0, aliases: ['VM'], help: 'Names, wildcards allowed.' },
    { name: 'Location', type: 'objects', pipeline: true, help: 'A VMHost (object or name): only its VMs.' },
    { name: 'Datastore', type: 'objects' },
    { name: 'Id', type: 'strings' },
    SERVER,
  ],
  async run(ctx) {
    const view = ctx.view();
    let vms = visibleVms(ctx, view);
    if (ctx.args.has('Location') || ctx.input.length) {
      const given = givenOrPiped(ctx, 'Location');
      const hosts = resolveObjects(ctx, given, visibleHosts(ctx, view), 'VMHost', 'HostSystem-', 'VMHost');
      vms = vms.filter((vm) => hosts.some((h) => h.id === vm.hostId));
    }
    if (ctx.args.has('Datastore')) {
      const dss = resolveObjects(ctx, ctx.args.get('Datastore') as unknown[], view.datastores, 'Datastore', 'Datastore-', 'Datastore');
      vms = vms.filter((vm) => dss.some((d) => d.id === vm.datastoreId));
    }
    if (ctx.args.has('Id')) {
      const ids = (ctx.args.get('Id') as string[]).map((id) => id.replace(/^VirtualMachine-/, ''));
      vms = vms.filter((vm) => ids.includes(vm.id));
    }
    for (const vm of byNames(ctx, vms, ctx.args.get('Name') as string[] | undefined, 'VM')) ctx.write(vmObject(view, vm));
  },
});

const getVMHost = cmdlet({
  name: 'Get-VMHost',
  module: MODULE.core,
  needsConnection: true,
  synopsis: 'Retrieves the ESXi hosts, with their encryption mode (CryptoState, CryptoSafe) and TPM.',
  labNotes: "CryptoState is the host's encryption mode (incapable, prepared, safe, pendingIncapable); CryptoSafe and CryptoSafeSupported are the VMware.VMEncryption module's properties. A VM piped in gives its host.",
  params: [
    { name: 'Name', type: 'strings', position: 0 },
    { name: 'VM', type: 'objects', pipeline: true },
    SERVER,
  ],
  async run(ctx) {
    const view = ctx.view();
    let hosts = visibleHosts(ctx, view);
    if (ctx.args.has('VM') || ctx.input.length) {
      const given = givenOrPiped(ctx, 'VM');
      const vms = resolveObjects(ctx, given, visibleVms(ctx, view), 'VirtualMachine', 'VirtualMachine-', 'VM');
      hosts = hosts.filter((h) => vms.some((vm) => vm.hostId === h.id));
    }
    for (const host of byNames(ctx, hosts, ctx.args.get('Name') as string[] | undefined, 'VMHost')) ctx.write(hostObject(host));
  },
});

const getDatastore = cmdlet({
  name: 'Get-Datastore',
  module: MODULE.core,
  needsConnection: true,
  synopsis: 'Retrieves the datastores and the VM folders on them (register a VM from one with New-VM -VMFilePath).',
  params: [{ name: 'Name', type: 'strings', position: 0 }, SERVER],
  async run(ctx) {
    const view = ctx.view();
    for (const ds of byNames(ctx, view.datastores, ctx.args.get('Name') as string[] | undefined, 'Datastore')) {
      ctx.write(
        new PsObject('Datastore', {
          Name: ds.name,
          Id: `Datastore-${ds.id}`,
          CapacityGB: Math.round((ds.capacityBytes / 1024 ** 3) * 1000) / 1000,
          CapacityMB: Math.round(ds.capacityBytes / 1024 ** 2),
          VMFolders: ds.folders.length,
          Folders: ds.folders,
          VMFilePaths: ds.folders.map((f) => `[${ds.name}] ${f}/${f}.vmx`),
        }),
      );
    }
  },
});

const getCluster = cmdlet({
  name: 'Get-Cluster',
  module: MODULE.core,
  needsConnection: true,
  synopsis: "Retrieves the lab's cluster.",
  params: [{ name: 'Name', type: 'strings', position: 0 }, SERVER],
  async run(ctx) {
    const view = ctx.view();
    const vc = view.vcenter;
    if (!vc || ctx.connection().kind === 'host') return;
    const clusters = [{ name: vc.cluster }];
    for (const c of byNames(ctx, clusters, ctx.args.get('Name') as string[] | undefined, 'Cluster')) {
      const hosts = visibleHosts(ctx, view);
      ctx.write(new PsObject('Cluster', { Name: c.name, Id: `ClusterComputeResource-${c.name}`, Datacenter: vc.datacenter, VMHostCount: hosts.length, VMHosts: hosts.map((h) => h.name) }));
    }
  },
});

const getVIEvent = cmdlet({
  name: 'Get-VIEvent',
  module: MODULE.core,
  needsConnection: true,
  synopsis: "Retrieves the lab's events, newest first (com.vmware.vc.crypto.Operation and the others).",
  labNotes: "The lab keeps one event log across vCenter generations (a destroyed vCenter's own events are gone with it; the lab's log says so). -Entity filters by a VM or host, -Types by severity (Error, Warning, Info).",
  examples: ['Get-VIEvent -MaxSamples 10', 'Get-VIEvent | Where-Object {$_.EventTypeId -eq "com.vmware.vc.crypto.Operation"}'],
  params: [
    { name: 'Entity', type: 'objects', position: 0, pipeline: true },
    { name: 'MaxSamples', type: 'int', help: 'How many events (default 100).' },
    { name: 'Types', type: 'strings' },
    { name: 'Username', type: 'string' },
    { name: 'Start', type: 'object' },
    { name: 'Finish', type: 'object' },
    SERVER,
  ],
  async run(ctx) {
    const view = ctx.view();
    let events = [...view.events].reverse();
    const entities = givenOrPiped(ctx, 'Entity');
    if (entities.length) {
      const ids = entities.flatMap((e) => (e instanceof PsObject ? [String(e.get('Id')).replace(/^(VirtualMachine|HostSystem)-/, '')] : [String(e)]));
      events = events.filter((e) => e.objectId !== null && ids.includes(e.objectId));
    }
    if (ctx.args.has('Types')) {
      const types = (ctx.args.get('Types') as string[]).map((t) => t.toLowerCase());
      events = events.filter((e) => types.includes(e.severity));
    }
    if (ctx.args.has('Username')) events = events.filter((e) => e.user.toLowerCase() === (ctx.args.get('Username') as string).toLowerCase());
    const max = ctx.args.has('MaxSamples') ? (ctx.args.get('MaxSamples') as number) : 100;
    for (const e of events.slice(0, Math.max(0, max))) ctx.write(eventObject(e));
  },
});

export const INVENTORY_CMDLETS: CmdletDef[] = [getVM, getVMHost, getDatastore, getCluster, getVIEvent];
