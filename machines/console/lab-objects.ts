// The lab's objects as PowerCLI shows them: each built fresh from the LabView (a snapshot, as PowerCLI's objects are
// of the server's state when they were retrieved), with PowerCLI's property names where the lab has the field and
// ExtensionData for the vSphere API's (Config.KeyId, Runtime.CryptoState).
import type { HostView, KeyProviderView, KmsNodeView, LabEvent, LabView, VmView } from '../lab-types';
import type { Connection, TaskRecord } from './cmdlet';
import { PsObject } from './ps-values';

/** Lab time (ms since the lab started) as h:mm:ss, the clock the lab's UI shows. */
export function labTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  return `${hh}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}

const obj = (typeName: string, props: Record<string, unknown>, label?: string) => new PsObject(typeName, props, label);

export function vmObject(view: LabView, vm: VmView): PsObject {
  const host = view.hosts.find((h) => h.id === vm.hostId);
  const key = vm.homeEncryption ?? vm.encryption;
  const keyId = key ? obj('CryptoKeyId', { KeyId: key.keyId, ProviderId: obj('KeyProviderId', { Id: key.providerName }, key.providerName) }, key.keyId) : null;
  const extensionData = obj('VirtualMachineView', {
    Name: vm.name,
    Config: obj('VirtualMachineConfigInfo', { Name: vm.name, KeyId: keyId, Files: obj('VirtualMachineFileInfo', { VmPathName: vmPathOf(view, vm) }) }),
    Runtime: obj('VirtualMachineRuntimeInfo', {
      PowerState: vm.power === 'on' ? 'poweredOn' : 'poweredOff',
      ConnectionState: vm.locked ? 'invalid' : 'connected',
      CryptoState: key ? (vm.locked ? 'locked' : 'unlocked') : null,
      Host: host?.name ?? null,
    }),
  });
  return obj('VirtualMachine', {
    Name: vm.name,
    Id: `VirtualMachine-${vm.id}`,
    PowerState: vm.power === 'on' ? 'PoweredOn' : 'PoweredOff',
    VMHost: host?.name ?? null,
    Encrypted: !!key,
    EncryptionKeyId: keyId,
    KeyProvider: key?.providerName ?? null,
    DisksEncrypted: !!vm.encryption,
    Locked: !!vm.locked,
    LockReason: vm.locked?.reason ?? null,
    HasVTpm: vm.vtpm,
    Snapshots: vm.snapshots,
    DiskSizeGB: Math.round((vm.diskSizeBytes / 1024 ** 3) * 1000) / 1000,
    Operation: vm.operation ? `${vm.operation.kind} ${vm.operation.done}/${vm.operation.total}${vm.operation.interrupted ? ' (interrupted)' : ''}` : null,
    ExtensionData: extensionData,
  });
}

export function vmPathOf(view: LabView, vm: VmView): string {
  const ds = view.datastores.find((d) => d.id === vm.datastoreId);
  return `[${ds?.name ?? vm.datastoreId}] ${vm.folder}/${vm.folder}.vmx`;
}

const CONNECTION_STATE = { connected: 'Connected', disconnected: 'Disconnected', removed: 'Disconnected' } as const;

export function hostObject(host: HostView): PsObject {
  const connectionState = host.power === 'off' && host.connection === 'connected' ? 'NotResponding' : CONNECTION_STATE[host.connection];
  return obj('VMHost', {
    Name: host.name,
    Id: `HostSystem-${host.id}`,
    ConnectionState: connectionState,
    PowerState: host.power === 'on' ? 'PoweredOn' : 'PoweredOff',
    CryptoState: host.cryptoState,
    CryptoSafe: host.cryptoState === 'safe',
    CryptoSafeSupported: true,
    TpmPresent: host.hasTpm,
    KeysInMemory: host.ramKeys.length,
    KeysSealedInTpm: host.tpmSealedKeys.length,
    RunningVMs: host.runningVmIds.length,
    ExtensionData: obj('HostSystemView', {
      Name: host.name,
      Runtime: obj('HostRuntimeInfo', { CryptoState: host.cryptoState, PowerState: host.power === 'on' ? 'poweredOn' : 'poweredOff', ConnectionState: connectionState.toLowerCase() }),
      Capability: obj('HostCapability', { TpmSupported: host.hasTpm }),
    }),
  });
}

const NKP_STATUS = { notBackedUp: 'Not backed up', warning: 'Warning', active: 'Active' } as const;

export function providerObject(view: LabView, p: KeyProviderView): PsObject {
  const common = { Name: p.name, Id: p.id, DefaultForSystem: p.isDefault, Health: p.health, HealthMessage: p.healthMessage };
  if (p.kind === 'native') {
    return obj('KeyProvider', {
      ...common,
      Type: 'NativeKeyProvider',
      Status: NKP_STATUS[p.status],
      KeyId: p.keyId,
      BackedUp: p.backedUp,
      TpmRequired: p.tpmOnly,
      HostsWithKey: p.hostsWithKdk.map((id) => view.hosts.find((h) => h.id === id)?.name ?? id),
    });
  }
  return obj('KeyProvider', {
    ...common,
    Type: 'KeyProvider',
    Status: p.health === 'ok' ? 'Connected' : p.health === 'warning' ? 'Warning' : 'Error',
    KeyManagementServers: p.kmsNodeIds.map((id) => view.kmsNodes.find((k) => k.id === id)?.name ?? id),
  });
}

const KMS_STATUS = { up: 'Up', down: 'Down', hung: 'NotResponding', lost: 'Down' } as const;

export function kmsObject(node: KmsNodeView, providerName: string | null): PsObject {
  return obj('KeyManagementServer', { Name: node.name, Address: node.address, Port: node.port, KeyProvider: providerName, Status: KMS_STATUS[node.status], Id: node.id });
}

export function eventObject(e: LabEvent): PsObject {
  return obj('VIEvent', {
    Key: e.id,
    CreatedTime: labTime(e.time),
    UserName: e.user,
    EventTypeId: e.eventTypeId,
    Severity: e.severity,
    FullFormattedMessage: e.message,
    ObjectId: e.objectId,
    KeyId: e.keyId,
    Operation: e.operation,
  });
}

export function taskObject(t: TaskRecord): PsObject {
  return obj(
    'Task',
    {
      Id: t.id,
      Name: t.name,
      Description: t.description,
      ObjectId: t.target,
      State: t.state,
      PercentComplete: t.state === 'Running' ? 0 : 100,
      StartTime: labTime(t.startTime),
      FinishTime: t.finishTime === null ? null : labTime(t.finishTime),
      Result: t.result ? (t.result.ok ? t.result.message : t.result.reason) : null,
    },
    t.id,
  );
}

export function serverObject(view: LabView, c: Connection): PsObject {
  return obj('VIServer', { Name: c.server, Port: 443, User: c.kind === 'vcenter' ? (view.vcenter?.currentUser ?? c.user) : c.user, IsConnected: true, ProductLine: c.kind === 'vcenter' ? 'vpx' : 'embeddedEsx' }, c.server);
}
