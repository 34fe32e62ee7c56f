// vSphere's event type ids the lab logs, as DESIGN §4a names them, plus the lab's own for world changes.

export const EVENT = {
  cryptoOperation: 'com.vmware.vc.crypto.Operation',
  kmsNotBackedUp: 'com.vmware.vc.kms.crypto.NotBackedUp',
  kmsAllBackedUp: 'com.vmware.vc.kms.crypto.AllBackedUp',
  kmsUnreachable: 'com.vmware.vc.kms.crypto.Unreachable',
  vmLockedKeyMissingOnHost: 'com.vmware.vc.vm.Crypto.VMLocked.KeyMissingOnHost',
  vmLockedKeyMissingOnKms: 'com.vmware.vc.vm.Crypto.VMLocked.KeyMissingOnKMS',
  vmLockedKmsClusterError: 'com.vmware.vc.vm.Crypto.VMLocked.KMSClusterError',
  vmUnlocked: 'com.vmware.vc.vm.Crypto.VMUnlocked',
  rekeyFail: 'com.vmware.vc.vm.crypto.RekeyFail',
  // Ordinary vSphere events for the rest of the world.
  vmPoweredOn: 'VmPoweredOnEvent',
  vmPoweredOff: 'VmPoweredOffEvent',
  vmRegistered: 'VmRegisteredEvent',
  vmRemoved: 'VmRemovedEvent',
  vmMigrated: 'VmMigratedEvent',
  vmReconfigured: 'VmReconfiguredEvent',
  vmCloned: 'VmClonedEvent',
  vmRelocated: 'VmRelocatedEvent',
  hostConnected: 'HostConnectedEvent',
  hostDisconnected: 'HostDisconnectedEvent',
  hostAdded: 'HostAddedEvent',
  hostRemoved: 'HostRemovedEvent',
  hostShutdown: 'HostShutdownEvent',
  hostStarted: 'com.vmware.vc.host.HostStartedEvent',
  userLogin: 'UserLoginSessionEvent',
  taskFailed: 'com.vmware.vc.TaskFailed',
  // The lab's own, for what happens outside vCenter's view.
  labVcenterLost: 'keylab.vcenter.Destroyed',
  labVcenterDeployed: 'keylab.vcenter.Deployed',
  labVcenterDown: 'keylab.vcenter.Down',
  labVcenterUp: 'keylab.vcenter.Up',
  labKmsFault: 'keylab.kms.Fault',
  labKmsWait: 'keylab.kms.Wait',
  /** vCenter's vSphere release was changed (the lab's shortcut for an upgrade). */
  labVcenterVersion: 'keylab.vcenter.Version',
  labTpmCleared: 'keylab.host.TpmCleared',
  labRecoveryKeyKept: 'keylab.host.RecoveryKeyKept',
  labConfigurationRecovered: 'keylab.host.ConfigurationRecovered',
  labHostReinstalled: 'keylab.host.Reinstalled',
  /** The attacker's fault: a host's boot disk and a VM's folder copied, and what could be read from them. */
  labBootDiskCopied: 'keylab.host.BootDiskCopied',
  /** A VM's page was brought back in line with its files (the lab closed between a disk commit and its save). */
  labVmReconciled: 'keylab.vm.ReconciledWithFiles',
} as const;
