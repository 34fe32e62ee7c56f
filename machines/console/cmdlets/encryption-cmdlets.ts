// VM encryption: the official Set-VM -KeyProvider (encrypt, or shallow re-key onto another provider) and
// -DisableEncryption, and the VMware.VMEncryption module's Enable-VMEncryption, Disable-VMEncryption,
// Set-VMEncryptionKey [-Deep] and Get-VMEncryptionInfo. The module's functions return the vSphere task at once (as
// ReconfigVM_Task does); like the module, they first check what the client can see, here through the command's own
// precondition, so a refusal reads as the UI's.
import { checkCommand } from '../../commands/preconditions';
import type { KeyProviderView, LabCommand, VmView } from '../../lab-types';
import type { CmdletContext, CmdletDef } from '../cmdlet';
import { vmObject, vmPathOf } from '../lab-objects';
import { PsObject } from '../ps-values';
import { cmdlet, MODULE, RUN_ASYNC, SERVER } from './define';
import { oneProvider, providers, targetVms } from './resolve';
import { runOnVms } from './run-on';

const VM_PARAM = { name: 'VM', type: 'objects', position: 0, pipeline: true, mandatory: true, help: 'VM objects or names.' } as const;

function skipHardDisksRefused(ctx: CmdletContext): void {
  ctx.fail({
    message: "The lab encrypts and re-keys a VM's home and its disks together: -SkipHardDisks (the VM home alone) is not supported. Run it without -SkipHardDisks; a Virtual TPM (New-VTpm) encrypts the VM home alone.",
    category: 'NotImplemented',
    errorId: 'NotSupportedInLab',
    exception: 'VimException',
  });
}

const setVM = cmdlet({
  name: 'Set-VM',
  module: MODULE.core,
  needsConnection: true,
  synopsis: 'Encrypts a VM with a key provider, moves an encrypted VM to another key provider (shallow re-key), or decrypts it.',
  labNotes:
    "Only the encryption parameters are supported: -KeyProvider (encrypt a plain VM, or shallow re-key an encrypted one: a new KEK from that provider rewraps the DEK; no disk data is rewritten and the VM may stay on), -DisableEncryption, -RunAsync. -SkipHardDisks is refused: the lab keeps a VM home and its disks under one key. Asks first unless -Confirm:$false.",
  examples: ['$nkp = Get-KeyProvider -Name NKP-Primary', 'Set-VM -VM db-01 -KeyProvider $nkp -Confirm:$false', 'Get-VM | Where-Object {$_.KeyProvider -eq "KMS-Cluster"} | Set-VM -KeyProvider $nkp -RunAsync -Confirm:$false'],
  params: [
    VM_PARAM,
    { name: 'KeyProvider', type: 'objects', help: 'A key provider object or name.' },
    { name: 'SkipHardDisks', type: 'switch' },
    { name: 'DisableEncryption', type: 'switch' },
    { name: 'Name', type: 'string' },
    { name: 'MemoryGB', type: 'object' },
    { name: 'NumCpu', type: 'int' },
    RUN_ASYNC,
    SERVER,
  ],
  shouldProcess: 'High',
  async run(ctx) {
    const unsupported = ['Name', 'MemoryGB', 'NumCpu'].find((p) => ctx.args.has(p));
    if (unsupported) {
      return ctx.fail({ message: `The lab's VMs have no -${unsupported} to change: Set-VM supports -KeyProvider and -DisableEncryption here.`, category: 'NotImplemented', errorId: 'NotSupportedInLab', exception: 'VimException' });
    }
    if (ctx.args.flag('SkipHardDisks')) return skipHardDisksRefused(ctx);
    const decrypt = ctx.args.flag('DisableEncryption');
    if (decrypt && ctx.args.has('KeyProvider')) {
      return ctx.fail({ message: 'Parameter set cannot be resolved using the specified named parameters: -DisableEncryption and -KeyProvider go in different parameter sets.', category: 'InvalidArgument', errorId: 'AmbiguousParameterSet', exception: 'ParameterBindingException' });
    }
    if (!decrypt && !ctx.args.has('KeyProvider')) {
      return ctx.fail({ message: 'Set-VM in the lab needs -KeyProvider (encrypt or re-key) or -DisableEncryption.', category: 'InvalidArgument', errorId: 'NotSupportedInLab', exception: 'VimException' });
    }
    const vms = targetVms(ctx);
    if (decrypt) {
      await runOnVms(ctx, vms, { task: 'ReconfigVM_Task', action: 'Set-VM -DisableEncryption', description: 'Decrypt' }, (vm) => ({ type: 'vm.decrypt', vmId: vm.id }));
      return;
    }
    const provider = oneProvider(ctx, ctx.args.get('KeyProvider'));
    if (!provider) return;
    await runOnVms(ctx, vms, { task: 'ReconfigVM_Task', action: `Set-VM -KeyProvider ${provider.name}`, description: `Key provider ${provider.name} for` }, (vm) =>
      vm.homeEncryption || vm.encryption ? { type: 'vm.rekeyShallow', vmId: vm.id, providerId: provider.id } : { type: 'vm.encrypt', vmId: vm.id, providerId: provider.id },
    );
  },
});

/** -KMSClusterId names a key provider (by name or id); the module's own error when there is none. */
function providerOfClusterId(ctx: CmdletContext): KeyProviderView | undefined | null {
  if (!ctx.args.has('KMSClusterId')) return undefined;
  const id = ctx.args.get('KMSClusterId') as string;
  const p = providers(ctx).find((x) => x.id.toLowerCase() === id.toLowerCase() || x.name.toLowerCase() === id.toLowerCase());
  if (!p) {
    ctx.fail({ message: 'Key generation failed, make sure the KMS Cluster exists!', category: 'OperationStopped', errorId: 'Key generation failed, make sure the KMS Cluster exists!', exception: 'RuntimeException', target: { name: id, type: 'String' } });
  }
  return p;
}

/** The module's functions: checked against the command's precondition, then ReconfigVM_Task returned at once. */
async function moduleTask(ctx: CmdletContext, vms: VmView[], description: string, command: (vm: VmView) => LabCommand): Promise<void> {
  for (const vm of vms) {
    ctx.step();
    const cmd = command(vm);
    const refusal = checkCommand(ctx.view(), cmd);
    if (refusal) {
      ctx.writeError({ message: refusal.reason, category: 'NotSpecified', errorId: `${refusal.code},${ctx.def.name}`, exception: 'WriteErrorException', labCode: refusal.code, commandClass: undefined, target: { name: vm.name, type: 'VirtualMachineImpl' } });
      continue;
    }
    await ctx.runTask(cmd, { name: 'ReconfigVM_Task', target: vmObject(ctx.view(), vm), description: `${description} ${vm.name}`, async: true });
  }
}

const enableVMEncryption = cmdlet({
  name: 'Enable-VMEncryption',
  module: MODULE.vmEncryption,
  needsConnection: true,
  synopsis: "Encrypts VMs (VM home and disks) with the default key provider or -KMSClusterId's (VMware.VMEncryption module).",
  labNotes: "Returns the ReconfigVM_Task at once, as the module does; Wait-Task waits for it. -KMSClusterId is a key provider's name. -Policy is accepted (the lab has the one VM Encryption Policy). -SkipHardDisks is refused (see Set-VM).",
  examples: ['Get-VM app-01 | Enable-VMEncryption', 'Get-VM app-01 | Enable-VMEncryption -KMSClusterId NKP-Primary | Wait-Task'],
  params: [{ ...VM_PARAM, position: undefined }, { name: 'Policy', type: 'object' }, { name: 'KMSClusterId', type: 'string' }, { name: 'SkipHardDisks', type: 'switch' }],
  async run(ctx) {
    if (ctx.args.flag('SkipHardDisks')) return skipHardDisksRefused(ctx);
    const provider = providerOfClusterId(ctx);
    await moduleTask(ctx, targetVms(ctx), 'Encrypt', (vm) => ({ type: 'vm.encrypt', vmId: vm.id, ...(provider ? { providerId: provider.id } : {}) }));
  },
});

const disableVMEncryption = cmdlet({
  name: 'Disable-VMEncryption',
  module: MODULE.vmEncryption,
  needsConnection: true,
  synopsis: 'Decrypts VMs: VM home and all encrypted disks (VMware.VMEncryption module).',
  params: [{ ...VM_PARAM, position: undefined }],
  async run(ctx) {
    await moduleTask(ctx, targetVms(ctx), 'Decrypt', (vm) => ({ type: 'vm.decrypt', vmId: vm.id }));
  },
});

const setVMEncryptionKey = cmdlet({
  name: 'Set-VMEncryptionKey',
  module: MODULE.vmEncryption,
  needsConnection: true,
  synopsis: 'Re-keys VMs: shallow (a new KEK rewraps the DEK; the VM may run) or -Deep (a new KEK and a new DEK; every sector re-encrypted; the VM must be off).',
  labNotes: "-KMSClusterId is the key provider for the new KEK (without it, vCenter's default key provider, as the module's key generation does). A deep re-key survives a closed tab: it resumes from its journal.",
  examples: ['Get-VM db-01 | Set-VMEncryptionKey', 'Get-VM db-01 | Set-VMEncryptionKey -Deep | Wait-Task', 'Get-VM db-01 | Set-VMEncryptionKey -KMSClusterId NKP-Primary'],
  params: [{ ...VM_PARAM, position: undefined }, { name: 'KMSClusterId', type: 'string' }, { name: 'Deep', type: 'switch' }, { name: 'SkipHardDisks', type: 'switch' }],
  async run(ctx) {
    if (ctx.args.flag('SkipHardDisks')) return skipHardDisksRefused(ctx);
    const provider = providerOfClusterId(ctx);
    const deep = ctx.args.flag('Deep');
    await moduleTask(ctx, targetVms(ctx), deep ? 'Deep re-key' : 'Shallow re-key', (vm) => ({
      type: deep ? 'vm.rekeyDeep' : 'vm.rekeyShallow',
      vmId: vm.id,
      ...(provider ? { providerId: provider.id } : {}),
    }));
  },
});

const getVMEncryptionInfo = cmdlet({
  name: 'Get-VMEncryptionInfo',
  module: MODULE.vmEncryption,
  needsConnection: true,
  synopsis: 'Gets the encryption information of VMs and their disks: key IDs and providers (VMware.VMEncryption module).',
  labNotes: 'Each VM has one disk in the lab (Hard disk 1).',
  params: [{ ...VM_PARAM, position: undefined }, { name: 'HardDisk', type: 'objects' }],
  async run(ctx) {
    const view = ctx.view();
    for (const vm of targetVms(ctx)) {
      const home = vm.homeEncryption;
      const keyIdOf = (k: { keyId: string; providerName: string } | null) => (k ? new PsObject('CryptoKeyId', { KeyId: k.keyId, ProviderId: new PsObject('KeyProviderId', { Id: k.providerName }, k.providerName) }, k.keyId) : null);
      const disk = new PsObject('Hashtable', {
        index: 2000,
        label: 'Hard disk 1',
        summary: `${Math.round(vm.diskSizeBytes / 1024).toLocaleString('en-US')} KB`,
        profile: vm.encryption ? 'VM Encryption Policy' : 'Datastore Default',
        fileName: vmPathOf(view, vm).replace(/\.vmx$/, '.vmdk'),
        keyId: keyIdOf(vm.encryption),
      });
      ctx.write(
        new PsObject('VMEncryptionInfo', {
          name: vm.name,
          connectState: vm.locked ? 'invalid' : 'connected',
          profile: home ? 'VM Encryption Policy' : 'Datastore Default',
          keyId: keyIdOf(home),
          disks: [disk],
        }),
      );
    }

  },
});

export const ENCRYPTION_CMDLETS: CmdletDef[] = [setVM, enableVMEncryption, disableVMEncryption, setVMEncryptionKey, getVMEncryptionInfo];
