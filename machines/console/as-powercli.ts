// "Show it as PowerCLI": the one-liner that does what a lab command does, so a learner who clicked learns the command.
// Every one-liner runs in the lab's console as it is (the test runs them); a command with no PowerCLI equivalent
// (a KMS administrator's action, the lab's clock, adding an NKP, which PowerCLI has no cmdlet for) gives null.
import type { LabCommand, LabView } from '../lab-types';

/** A PowerShell argument: bare when PowerShell reads it as one word, else single-quoted. */
export function psArg(text: string): string {
  return /^[A-Za-z0-9_.\-:\\]+$/.test(text) && !/^[-\d]/.test(text) ? text : `'${text.replace(/'/g, "''")}'`;
}

const list = (names: string[]) => names.map(psArg).join(', ');

type Of<T extends LabCommand['type']> = Extract<LabCommand, { type: T }>;
type Render = { [T in LabCommand['type']]: (command: Of<T>, view: LabView) => string | null };

const vmName = (view: LabView, vmId: string) => psArg(view.vms.find((v) => v.id === vmId)?.name ?? vmId);
const hostName = (view: LabView, hostId: string) => psArg(view.hosts.find((h) => h.id === hostId)?.name ?? hostId);
const providerName = (view: LabView, providerId: string) => psArg(view.vcenter?.keyProviders.find((p) => p.id === providerId)?.name ?? providerId);

const RENDER: Render = {
  'vcenter.destroy': () => null,
  'vcenter.deploy': () => null,
  'vcenter.stop': () => null,
  'vcenter.start': () => null,
  // An upgrade is done with the vCenter installer (VAMI / lifecycle manager), not PowerCLI.
  'vcenter.setVersion': () => null,
  'user.switch': (c, view) => `Connect-VIServer -Server ${psArg(view.vcenter?.name ?? 'vcsa-01.lab.local')} -User ${psArg(c.userName)}`,
  'provider.addStandard': (c, view) => {
    const nodes = c.kmsNodeIds.map((id) => view.kmsNodes.find((k) => k.id === id)).filter((k) => k !== undefined);
    if (nodes.length === 0) return null;
    return `Add-KeyManagementServer -Name ${psArg(nodes[0]!.name)} -Address ${list(nodes.map((k) => k.address))} -Port ${nodes[0]!.port} -KmsCluster ${psArg(c.name)}`;
  },
  // PowerCLI has no cmdlet that adds a Native Key Provider (the vSphere Client or the REST API does).
  'provider.addNative': () => null,
  'provider.setDefault': (c, view) => `Get-KeyProvider -Name ${providerName(view, c.providerId)} | Set-KeyProvider -DefaultForSystem`,
  'provider.remove': () => null,
  'provider.reorderKmsNodes': () => null,
  'kms.down': () => null,
  'kms.hang': () => null,
  'kms.restore': () => null,
  'kms.revokeKey': () => null,
  'kms.destroyKey': () => null,
  'kms.reactivateKey': () => null,
  'kms.lose': () => null,
  'host.reboot': (c, view) => `Restart-VMHost -VMHost ${hostName(view, c.hostId)} -Confirm:$false`,
  'host.powerOff': (c, view) => `Stop-VMHost -VMHost ${hostName(view, c.hostId)} -Confirm:$false`,
  'host.powerOn': (c, view) => `Start-VMHost -VMHost ${hostName(view, c.hostId)}`,
  'host.disconnect': (c, view) => `Set-VMHost -VMHost ${hostName(view, c.hostId)} -State Disconnected`,
  'host.connect': (c, view) => `Set-VMHost -VMHost ${hostName(view, c.hostId)} -State Connected`,
  'host.remove': (c, view) => `Remove-VMHost -VMHost ${hostName(view, c.hostId)} -Confirm:$false`,
  'host.add': (c, view) => `Add-VMHost -Name ${hostName(view, c.hostId)} -Location ${psArg(view.vcenter?.cluster ?? 'Cluster-01')} -User root -Force`,
  'host.clearTpm': () => null,
  // Recovery keys and reinstalls are done at the host (esxcli, the boot option, the installer), not through PowerCLI.
  'host.keepRecoveryKey': () => null,
  'host.recoverConfiguration': () => null,
  'host.reinstall': () => null,
  'host.copyBootDisk': () => null,
  'host.enableEncryptionMode': (c, view) => `Get-VMHost ${hostName(view, c.hostId)} | Enable-VMHostCryptoSafe`,
  'host.disableEncryptionMode': () => null,
  'vm.powerOn': (c, view) => {
    const vm = view.vms.find((v) => v.id === c.vmId);
    const start = `Start-VM -VM ${vmName(view, c.vmId)}`;
    return c.hostId && vm && vm.hostId !== c.hostId ? `Move-VM -VM ${vmName(view, c.vmId)} -Destination ${hostName(view, c.hostId)}; ${start}` : start;
  },
  'vm.powerOff': (c, view) => `Stop-VM -VM ${vmName(view, c.vmId)} -Confirm:$false`,
  'vm.migrate': (c, view) => `Move-VM -VM ${vmName(view, c.vmId)} -Destination ${hostName(view, c.hostId)}`,
  'vm.encrypt': (c, view) =>
    c.providerId ? `Set-VM -VM ${vmName(view, c.vmId)} -KeyProvider ${providerName(view, c.providerId)} -Confirm:$false` : `Get-VM ${vmName(view, c.vmId)} | Enable-VMEncryption`,
  'vm.decrypt': (c, view) => `Set-VM -VM ${vmName(view, c.vmId)} -DisableEncryption -Confirm:$false`,
  'vm.rekeyShallow': (c, view) =>
    c.providerId ? `Set-VM -VM ${vmName(view, c.vmId)} -KeyProvider ${providerName(view, c.providerId)} -Confirm:$false` : `Get-VM ${vmName(view, c.vmId)} | Set-VMEncryptionKey`,
  'vm.rekeyDeep': (c, view) => `Get-VM ${vmName(view, c.vmId)} | Set-VMEncryptionKey -Deep${c.providerId ? ` -KMSClusterId ${providerName(view, c.providerId)}` : ''}`,
  'vm.rekeyShallowMany': (c, view) => {
    const vms = c.vmIds.map((id) => vmName(view, id)).join(', ');
    return c.providerId ? `Get-VM ${vms} | Set-VM -KeyProvider ${providerName(view, c.providerId)} -Confirm:$false` : `Get-VM ${vms} | Set-VMEncryptionKey`;
  },
  // New-VTpm takes vCenter's default provider; another provider has no one-liner.
  'vm.addVtpm': (c, view) => (c.providerId && c.providerId !== view.vcenter?.defaultProviderId ? null : `New-VTpm -VM ${vmName(view, c.vmId)}`),
  'vm.removeVtpm': (c, view) => `Get-VTpm -VM ${vmName(view, c.vmId)} | Remove-VTpm -Confirm:$false`,
  'vm.takeSnapshot': (c, view) => `New-Snapshot -VM ${vmName(view, c.vmId)} -Name ${psArg(`Snapshot ${(view.vms.find((v) => v.id === c.vmId)?.snapshots ?? 0) + 1}`)}`,
  // The encrypted-VM limits (clone, OVF export, memory snapshot, Storage vMotion, disk format, FT / replication /
  // content library) have real cmdlets (New-VM -VM, Export-VApp, New-Snapshot -Memory, Move-VM -Datastore,
  // Set-HardDisk -StorageFormat, …) that this console does not run yet: no one-liner rather than one it would refuse.
  'vm.clone': () => null,
  'vm.exportOvf': () => null,
  'vm.takeMemorySnapshot': () => null,
  'vm.relocateStorage': () => null,
  'vm.changeDiskFormat': () => null,
  'vm.setFeature': () => null,
  'vm.deleteSnapshots': (c, view) => `Get-Snapshot -VM ${vmName(view, c.vmId)} | Remove-Snapshot -Confirm:$false`,
  'vm.register': (c, view) => {
    const ds = view.datastores.find((d) => d.id === c.datastoreId);
    const path = `[${ds?.name ?? c.datastoreId}] ${c.folder}/${c.folder}.vmx`;
    return `New-VM -VMFilePath ${psArg(path)}${c.hostId ? ` -VMHost ${hostName(view, c.hostId)}` : ''}`;
  },
  'vm.unregister': (c, view) => `Remove-VM -VM ${vmName(view, c.vmId)} -Confirm:$false`,
  'vm.unlock': (c, view) => `Unlock-VM -VM ${vmName(view, c.vmId)}`,
  'guest.writeFile': () => null,
  'clock.advance': () => null,
};

/** The PowerCLI one-liner that does what `command` does in the world `view` shows (read before the command runs). */
export function asPowerCli(command: LabCommand, view: LabView): string | null {
  const render = RENDER[command.type] as (c: LabCommand, v: LabView) => string | null;
  return render(command, view);
}

/** The NKP backup (the Lab's exportNkpBackup) as PowerCLI: the password is the learner's, never shown. */
export function backupAsPowerCli(providerName: string, fileName: string): string {
  return `Export-KeyProvider -KeyProvider ${psArg(providerName)} -FilePath ${psArg(`C:\\backup\\${fileName}`)} -Password (ConvertTo-SecureString 'your-backup-password' -AsPlainText -Force)`;
}

/** "Add > Restore from backup" (the Lab's restoreNkpFromBackup) as PowerCLI. */
export function restoreAsPowerCli(fileName: string): string {
  return `Import-KeyProvider -FilePath ${psArg(`C:\\backup\\${fileName}`)} -Password (ConvertTo-SecureString 'your-backup-password' -AsPlainText -Force)`;
}
