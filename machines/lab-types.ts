// The headless lab API's contract: what the UI, lessons and a console may read (LabView) and do (LabCommand).
// Everything here is plain, JSON-compatible data so a lesson check can be a pure function of LabView.
import type { ResultCode } from './commands/refusal-codes';
import type { VsphereVersion } from '@/lib/scenario/vsphere-version';

export type { VsphereVersion } from '@/lib/scenario/vsphere-version';

export type { FailureCode, RefusalCode, ResultCode } from './commands/refusal-codes';

export type Severity = 'info' | 'warning' | 'error';

/** vSphere's reasons a VM's key is unavailable (shown on a locked VM). */
export type UnavailableKeyReason =
  | 'KeyStateMissingInCache'
  | 'KeyStateClusterUnreachable'
  | 'KeyStateMissingInKMS'
  | 'KeyStateNotActiveOrEnabled'
  | 'KeyStateManagedByNKP';

export type HostCryptoState = 'incapable' | 'prepared' | 'safe' | 'pendingIncapable';

export interface ClockView {
  /** Lab time in ms since the lab started (advances with real time, and jumps on fast-forward). */
  now: number;
  /** Visible waits, e.g. vCenter waiting 60 s on a hung KMS node. */
  pendingWaits: { id: string; label: string; deadline: number }[];
}

export interface UserView {
  name: string;
  role: 'Administrator' | 'No cryptography administrator' | 'Read-only';
  privileges: string[];
}

export interface StandardProviderView {
  kind: 'standard';
  id: string;
  name: string;
  /** The configured order: vSphere 6.5/6.7 tries them in this order; 7.0 and later take turns (round-robin). */
  kmsNodeIds: string[];
  /** How vCenter picks a node and how long it waits on one that does not answer (follows vCenter's version). */
  nodeSelection: { policy: 'ordered' | 'roundRobin'; hungWaitMs: number; timeoutAssumed: boolean; nextNodeId: string | null };
  isDefault: boolean;
  health: 'ok' | 'warning' | 'error';
  healthMessage: string;
}

export interface NativeProviderView {
  kind: 'native';
  id: string;
  name: string;
  /** The KDK's key ID (a UUID), kept across backup and restore. */
  keyId: string;
  tpmOnly: boolean;
  backedUp: boolean;
  /** As the vSphere Client shows it. */
  status: 'notBackedUp' | 'warning' | 'active';
  isDefault: boolean;
  /** Hosts that hold the KDK (in RAM and, with a TPM, sealed). */
  hostsWithKdk: string[];
  health: 'ok' | 'warning' | 'error';
  healthMessage: string;
}

export type KeyProviderView = StandardProviderView | NativeProviderView;

export interface VCenterView {
  id: string;
  name: string;
  /** Increments with every redeploy: a new vCenter is a new, empty database. */
  generation: number;
  /** The vSphere release it runs (version-dependent behaviour, such as KMS node selection, follows it). */
  version: VsphereVersion;
  datacenter: string;
  cluster: string;
  hostIds: string[];
  registeredVmIds: string[];
  keyProviders: KeyProviderView[];
  defaultProviderId: string | null;
  /** vCenter's key database: key IDs only, never key material (for standard providers). */
  keyDatabase: { keyId: string; providerId: string; vmId: string | null }[];
  users: UserView[];
  currentUser: string;
}

export type KmsKeyState = 'PreActive' | 'Active' | 'Deactivated' | 'Compromised' | 'Destroyed';

export interface KmsNodeView {
  id: string;
  name: string;
  address: string;
  port: number;
  /** 'lost': gone for good with its disk (nothing brings it back). */
  status: 'up' | 'down' | 'hung' | 'lost';
  peers: string[];
  replicationLagMs: number;
  keys: { keyId: string; state: KmsKeyState; createdAt: number; fingerprint: string }[];
  /** Keys created elsewhere in the cluster that have not reached this node yet. */
  pendingReplication: string[];
  /** The same keys with their sender; `arrivesAt` null while the sender is not up (it sends only while up). */
  replicationInFlight: { keyId: string; from: string | null; arrivesAt: number | null }[];
}

export interface HostView {
  id: string;
  name: string;
  hasTpm: boolean;
  power: 'on' | 'off';
  /** 'removed' = not in the current vCenter's inventory. */
  connection: 'connected' | 'disconnected' | 'removed';
  cryptoState: HostCryptoState;
  /** Keys in the host's memory: its key cache (lost on reboot and power-off, not when a VM powers off). */
  ramKeys: { keyId: string; level: 'KDK' | 'KEK'; providerId: string; fingerprint: string; kdkKeyId?: string }[];
  /**
   * The KDKs of its encrypted configuration when its key is sealed by the TPM (what the TPM protects); empty on a host
   * without a TPM, whose configuration key lies on its boot disk (see `configuration`).
   */
  tpmSealedKeys: { keyId: string; providerId: string; fingerprint: string }[];
  /** Its encrypted configuration on the boot device (ESXi 7.0 U2+): read back at every boot, TPM or not. */
  configuration: HostConfigurationView;
  /** The last copy of its boot disk an attacker made, and what it gave away; null when none was made. */
  bootDiskCopy: BootDiskCopyView | null;
  runningVmIds: string[];
}

export interface HostConfigurationView {
  /** The KDKs it keeps (survive reboots; gone only with a reinstall, or a cleared TPM and no recovery key). */
  keys: { keyId: string; providerId: string; fingerprint: string }[];
  /** 'tpm': its key sealed by the TPM 2.0; 'bootDisk': no TPM, its key lies on the boot disk beside it. */
  protection: 'tpm' | 'bootDisk';
  /** The TPM was cleared or replaced: the host stops at boot until the configuration is recovered with its recovery key. */
  locked: boolean;
  /** TPM hosts: the recovery key's ID (`esxcli system settings encryption recovery list`); null without a TPM. */
  recoveryId: string | null;
  /** The administrator kept this host's current recovery key (listed and stored off the host). */
  recoveryKeyKept: boolean;
  /** A recovery key was kept, but of an earlier install (a reinstall made a new one): it opens nothing now. */
  keptRecoveryKeyStale: boolean;
}

/** What an attacker got from a copy of this host's boot disk and of one VM's folder on the datastore. */
export interface BootDiskCopyView {
  /** Lab time of the copy. */
  at: number;
  vmId: string;
  vmName: string;
  /** The KDKs read out of the copied configuration (none when its key is sealed in the TPM). */
  recoveredKdkIds: string[];
  /** The copied VM's disk was decrypted with a recovered KDK. */
  decrypted: boolean;
  /** What happened, in the attacker's words. */
  outcome: string;
  /** The first guest file read from the copied disk (its name and its first lines). */
  guestFile: { name: string; excerpt: string } | null;
}

export interface DatastoreView {
  id: string;
  name: string;
  capacityBytes: number;
  folders: string[];
}

export interface VmEncryptionView {
  providerId: string;
  providerName: string;
  providerKind: 'standard' | 'native';
  /** The KEK's key ID. */
  keyId: string;
  /** NKP: the key ID of the KDK the KEK is derived from (as the VM's files name it); null for a standard provider. */
  kdkKeyId?: string | null;
  /** Fingerprint of the current DEK (changes on deep re-key only). */
  dekFingerprint: string;
}

/**
 * The VM's key as its .vmx names it: set whenever the VM is encrypted, its disks too (then `encryption` has the same
 * key) or only its VM home, as a vTPM needs (vSphere's "VM home only": .vmx, .nvram encrypted, disks not).
 */
export type VmHomeEncryptionView = Omit<VmEncryptionView, 'dekFingerprint'>;

export interface VmOperationView {
  kind: 'encrypt' | 'decrypt' | 'rekeyDeep';
  done: number;
  total: number;
  /** True when a run was interrupted (tab closed, crash) and can be resumed. */
  interrupted: boolean;
}

export interface VmView {
  id: string;
  name: string;
  datastoreId: string;
  folder: string;
  hostId: string | null;
  /** Registered in the current vCenter's inventory. */
  registered: boolean;
  power: 'on' | 'off';
  /** The disks' encryption (null when the disks are not encrypted, even if the VM home is). */
  encryption: VmEncryptionView | null;
  homeEncryption: VmHomeEncryptionView | null;
  locked: { reason: UnavailableKeyReason; message: string } | null;
  vtpm: boolean;
  snapshots: number;
  diskSizeBytes: number;
  /** FT, vSphere Replication, a content library template: on when set true (absent: all off). */
  features?: Partial<Record<VmFeature, boolean>>;
  /** The disk's provisioning (absent: thin, as the lab's disks are made). */
  diskFormat?: DiskFormat;
  operation: VmOperationView | null;
}

export interface LabEvent {
  id: number;
  /** Lab time in ms. */
  time: number;
  /** vSphere event type id, e.g. com.vmware.vc.crypto.Operation. */
  eventTypeId: string;
  severity: Severity;
  user: string;
  objectId: string | null;
  keyId: string | null;
  operation: string | null;
  message: string;
}

/** Where a key currently lives: the key map draws these. */
export interface KeyLocation {
  keyId: string;
  level: 'KDK' | 'KEK' | 'DEK';
  providerId: string | null;
  fingerprint: string;
  /** For a DEK or a standard provider's KEK: the key that wraps it. */
  wrappedBy: string | null;
  /** For an NKP KEK: the KDK it is derived from (HKDF with its key ID); nothing wraps it, nothing stores it. */
  derivedFrom?: string | null;
  places: {
    /** 'host-config': the host's encrypted configuration on its boot device (its key sealed by the TPM, or beside it). */
    kind: 'kms' | 'vcenter-db' | 'host-ram' | 'host-config' | 'vm-files' | 'backup-file';
    /** The object holding it (kms node id, host id, vm id, provider id). */
    objectId: string;
    /** 'key-id' = only the ID is kept there; 'wrapped' = the key encrypted by another; 'plain' = usable material. */
    form: 'key-id' | 'wrapped' | 'plain';
  }[];
}

/** An NKP backup file the lab made (the .p12 the learner downloaded): what it is, and how strong its password was rated. */
export interface BackupFileView {
  providerId: string;
  keyId: string;
  fileName: string;
  /** Lab time it was made. */
  exportedAt: number;
  /** The lab's rating of its password (the backup dialog's meter): none, weak, fair, strong; unknown for a lab saved before ratings. */
  passwordStrength: 'none' | 'weak' | 'fair' | 'strong' | 'unknown';
}

export interface LabView {
  labId: string;
  clock: ClockView;
  /** null when vCenter is not running; vcenterStatus says whether it is down (database intact) or destroyed. */
  vcenter: VCenterView | null;
  vcenterStatus: 'running' | 'stopped' | 'destroyed';
  hosts: HostView[];
  kmsNodes: KmsNodeView[];
  datastores: DatastoreView[];
  /** Every VM that physically exists (on a datastore), registered or not. */
  vms: VmView[];
  events: LabEvent[];
  keyMap: KeyLocation[];
  /** NKP backup files made in this lab, oldest first (they live outside vCenter). Optional: views made by hand may leave it out. */
  backupFiles?: BackupFileView[];
  /** Why the last save of the lab failed (e.g. the browser's storage is full), or null when it is saved. */
  saveProblem: string | null;
  /** Everything done to the lab since it was built, in order, and what a rewind left to redo. */
  journal: JournalView;
}

/** One thing done to the lab, as the journal keeps it: enough to do it again on a rebuilt world. */
export type JournalOp =
  | { kind: 'command'; command: LabCommand }
  /** "Back Up Key Provider": the file and its password are not kept (a replay makes a file of its own), its rating is. */
  | { kind: 'nkpBackup'; providerId: string; passwordStrength?: 'none' | 'weak' | 'fair' | 'strong' }
  /** "Add > Restore from backup": of a file this lab made (its name), or of one from elsewhere (null). */
  | { kind: 'nkpRestore'; fileName: string | null }
  /** Interrupted long operations resumed after a reload. */
  | { kind: 'resume' };

export interface JournalEntry {
  /** 1, 2, 3… in the order things were done. */
  seq: number;
  /** Lab time when it was done. */
  at: number;
  op: JournalOp;
  /** 'pending' until it ends (a lab saved while a command waits keeps it so; the command runs again on open). */
  outcome: 'ok' | 'pending' | ResultCode;
  /** What the learner was told when it was refused or failed. */
  reason?: string;
  /** The id the event console gave the first event logged after it began: which events it caused. */
  firstEventId: number;
}

export interface JournalView {
  entries: readonly JournalEntry[];
  /** What a rewind took back, next first: Redo does it again while nothing new was done. */
  redo: readonly JournalEntry[];
  /** Why this lab cannot be rebuilt from its journal (null when it can): e.g. it was begun before the journal was kept. */
  notReplayable: string | null;
}

export type LabCommand =
  | { type: 'vcenter.destroy' }
  | { type: 'vcenter.deploy' }
  /** vCenter down (appliance off or unreachable), its database intact; `vcenter.start` brings it back. */
  | { type: 'vcenter.stop' }
  | { type: 'vcenter.start' }
  | { type: 'user.switch'; userName: string }
  | { type: 'provider.addStandard'; name: string; kmsNodeIds: string[] }
  | { type: 'provider.addNative'; name: string; tpmOnly: boolean }
  | { type: 'provider.setDefault'; providerId: string }
  | { type: 'provider.remove'; providerId: string }
  /** A standard provider's KMS nodes in a new order (the same nodes): vCenter tries them in this order. */
  | { type: 'provider.reorderKmsNodes'; providerId: string; kmsNodeIds: string[] }
  | { type: 'kms.down'; kmsId: string }
  | { type: 'kms.hang'; kmsId: string }
  | { type: 'kms.restore'; kmsId: string }
  /** The KMS administrator revokes a key (KMIP Revoke: Deactivated), replicated across the cluster. */
  | { type: 'kms.revokeKey'; kmsId: string; keyId: string }
  /** The KMS administrator destroys a key (KMIP Destroy): its material is gone from every node of the cluster. */
  | { type: 'kms.destroyKey'; kmsId: string; keyId: string }
  /**
   * The KMS administrator makes a revoked (Deactivated) key usable again. KMIP itself has no way from Deactivated back
   * to Active; KMS products offer it (re-enable, or restore the key from the KMS's backup): the lab models that.
   */
  | { type: 'kms.reactivateKey'; kmsId: string; keyId: string }
  /** A KMS node is lost for good (appliance and disk gone): its keys go with it, those not yet sent to a peer too. */
  | { type: 'kms.lose'; kmsId: string }
  /** The vSphere release vCenter runs (in the product an upgrade; the lab switches at once). */
  | { type: 'vcenter.setVersion'; version: VsphereVersion }
  | { type: 'host.reboot'; hostId: string }
  | { type: 'host.powerOff'; hostId: string }
  | { type: 'host.powerOn'; hostId: string }
  | { type: 'host.disconnect'; hostId: string }
  | { type: 'host.connect'; hostId: string }
  | { type: 'host.remove'; hostId: string }
  | { type: 'host.add'; hostId: string }
  /** The TPM's seeds reset (firmware setup; a running host restarts): the host stops at boot, its configuration locked. */
  | { type: 'host.clearTpm'; hostId: string }
  /** `esxcli system settings encryption recovery list`, and the key stored off the host by the administrator. */
  | { type: 'host.keepRecoveryKey'; hostId: string }
  /** Boot with `encryptionRecoveryKey=`: the key typed, or the one kept when none is given. */
  | { type: 'host.recoverConfiguration'; hostId: string; recoveryKey?: string }
  /** ESXi installed anew: the boot device wiped, nothing kept, a new configuration and recovery key. */
  | { type: 'host.reinstall'; hostId: string }
  /** The attacker's fault: the host's boot disk and a VM's folder copied, and read elsewhere with what they hold. */
  | { type: 'host.copyBootDisk'; hostId: string; vmId: string }
  | { type: 'host.enableEncryptionMode'; hostId: string }
  /** pendingIncapable until the next reboot; refused while encrypted VMs are registered on the host. */
  | { type: 'host.disableEncryptionMode'; hostId: string }
  | { type: 'vm.powerOn'; vmId: string; hostId?: string }
  | { type: 'vm.powerOff'; vmId: string }
  /** vMotion (running VM) or cold migration (powered off) to another host of the same vCenter. */
  | { type: 'vm.migrate'; vmId: string; hostId: string }
  | { type: 'vm.encrypt'; vmId: string; providerId?: string }
  | { type: 'vm.decrypt'; vmId: string }
  | { type: 'vm.rekeyShallow'; vmId: string; providerId?: string }
  | { type: 'vm.rekeyDeep'; vmId: string; providerId?: string }
  /** Shallow re-key of many VMs in one task (e.g. moving every VM to a new NKP), run a few at a time. */
  | { type: 'vm.rekeyShallowMany'; vmIds: string[]; providerId?: string }
  /** Encrypts the VM home with a KEK of `providerId` (default: vCenter's default provider), or the VM's own key. */
  | { type: 'vm.addVtpm'; vmId: string; providerId?: string }
  | { type: 'vm.removeVtpm'; vmId: string }
  | { type: 'vm.takeSnapshot'; vmId: string }
  | { type: 'vm.deleteSnapshots'; vmId: string }
  | { type: 'vm.register'; datastoreId: string; folder: string; hostId?: string }
  | { type: 'vm.unregister'; vmId: string }
  | { type: 'vm.unlock'; vmId: string }
  | { type: 'guest.writeFile'; vmId: string; name: string; text: string }
  // The operations an encrypted VM refuses (the material's list; preconditions/vm-limits.ts): a plain VM does them.
  /** Clone to a new VM named `name` on the same datastore (its disk really copied). */
  | { type: 'vm.clone'; vmId: string; name: string }
  /** Export OVF Template: the result carries the .ova (descriptor, manifest and disk image) as a download. */
  | { type: 'vm.exportOvf'; vmId: string }
  /** A snapshot with the VM's memory (a running VM): its .vmsn and .vmem beside the .vmx. */
  | { type: 'vm.takeMemorySnapshot'; vmId: string }
  /** Storage vMotion: the VM's folder and disk moved to another datastore. */
  | { type: 'vm.relocateStorage'; vmId: string; datastoreId: string }
  /** Thin or thick (eager zeroed) provisioning of the VM's disk, recorded in its descriptor. */
  | { type: 'vm.changeDiskFormat'; vmId: string; format: DiskFormat }
  /** Fault Tolerance, vSphere Replication or a content library template, switched on or off for the VM. */
  | { type: 'vm.setFeature'; vmId: string; feature: VmFeature; enabled: boolean }
  | { type: 'clock.advance'; ms: number };

export type DiskFormat = 'thin' | 'thickEagerZeroed';
export type VmFeature = 'faultTolerance' | 'replication' | 'contentLibrary';

/** A file a command hands the learner to save (an OVF export's .ova). */
export interface LabDownload {
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
}

export type CommandResult =
  | { ok: true; message: string; download?: LabDownload }
  /** Refused or failed: `reason` is what the learner reads (vSphere's wording where there is one). */
  | { ok: false; code: ResultCode; reason: string };

export interface DiskSectorsView {
  /** Bytes exactly as stored in IndexedDB for these sectors (ciphertext when encrypted). */
  stored: Uint8Array;
  /** What the host sees with the keys, or null when no host holds the DEK (with why). */
  plaintext: Uint8Array | null;
  plaintextUnavailableReason: string | null;
  encrypted: boolean;
}

export interface RestoreBackupOptions {
  /** Progress of the backup file's password check: iterations done of total. */
  onProgress?: (done: number, total: number) => void;
  /** Cancels opening the file: the restore then fails, saying it was cancelled, and nothing changes. */
  signal?: AbortSignal;
  /**
   * "Use key provider only with TPM protected ESXi hosts" for the restored provider; omitted, as the backup says. The
   * fix after "TPM2 Device is Required" on a host without a TPM: the same provider (same KDK) restored without it.
   */
  tpmOnly?: boolean;
}

/** The headless lab: one per browser tab (or test), over one Dexie database. */
export interface Lab {
  /** The same object until the next change (a new object after each change), so React can use it as a store snapshot. Must be callable unbound. */
  getView(): LabView;
  /** Called after every change of the view (for React's useSyncExternalStore). */
  subscribe(listener: () => void): () => void;
  dispatch(command: LabCommand): Promise<CommandResult>;

  listGuestFiles(vmId: string): Promise<{ name: string; size: number }[]>;
  readGuestFile(vmId: string, name: string): Promise<string>;
  listDatastoreFiles(datastoreId: string, folder: string): Promise<{ path: string; size: number; kind: 'vmx' | 'vmdk' | 'nvram' | 'log' | 'other' }[]>;
  readDatastoreFile(datastoreId: string, path: string): Promise<string>;
  readDiskSectors(vmId: string, firstSector: number, count: number): Promise<DiskSectorsView>;
  /** What `esxcli system settings encryption recovery list` prints on a running TPM host (refused like host.keepRecoveryKey). */
  recoveryKeyListing(hostId: string): Promise<string>;

  /** NKP backup: the real .p12 bytes and vSphere's file name for it. */
  exportNkpBackup(
    providerId: string,
    password: string,
    /** The password's rating when the caller knows it (a replay, whose password is its own): not rated again. */
    options?: { passwordStrength?: 'none' | 'weak' | 'fair' | 'strong' },
  ): Promise<{ fileName: string; bytes: Uint8Array }>;
  /**
   * "Add > Restore from backup" in the current vCenter. The file's password work (seconds for a file made with many
   * iterations) runs off the page's main thread, before the restore's turn in the queue, with progress and a cancel.
   */
  restoreNkpFromBackup(p12: Uint8Array, password: string, options?: RestoreBackupOptions): Promise<CommandResult>;

  /** Resume interrupted long operations (deep re-key after a closed tab). Called once after opening. */
  resumeInterrupted(): Promise<void>;
  /** Resolves once no command is running or queued, or the running one waits on a visible wait (a hung KMS node). */
  untilSettled(): Promise<void>;
  save(): Promise<void>;
  dispose(): void;
}
