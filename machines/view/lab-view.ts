// Builds the LabView (plain JSON data) from the actors' snapshots: what the UI draws and lesson checks read. O(n) in
// the number of things, so a lab of 500 VMs is still cheap; the lab caches it until the next change.
import type { HostContext } from '../actors/host.machine';
import type { KmsNodeStatus } from '../actors/kms-node.machine';
import type { LabContext } from '../actors/lab.machine';
import type { LabRuntime } from '../session/lab-runtime';
import type {
  JournalEntry,
  JournalView,
  DatastoreView,
  HostView,
  KeyLocation,
  KeyProviderView,
  KmsNodeView,
  LabView,
  VCenterView,
  VmView,
} from '../lab-types';
import type { NativeProvider, Provider, VcenterContext } from '../actors/vcenter.machine';
import { homeOf } from '../actors/vm.machine';
import { DEFAULT_VSPHERE_VERSION } from '@/lib/scenario/vsphere-version';
import { nextNodeId, selectionOf } from '../keys/kms-node-selection';

type HostState = HostContext & { power: 'on' | 'off' };

const configKeysOf = (h: HostContext) => h.configuration.keys.map((k) => ({ keyId: k.keyId, providerId: k.providerId, fingerprint: k.fingerprint }));

function providerView(p: Provider, vc: VcenterContext, hosts: Map<string, HostState>, kmsStatus: Map<string, KmsNodeStatus>): KeyProviderView {
  const isDefault = vc.defaultProviderId === p.id;
  if (p.kind === 'standard') {
    const up = p.kmsNodeIds.filter((k) => kmsStatus.get(k) === 'up');
    const health = up.length === p.kmsNodeIds.length ? 'ok' : up.length > 0 ? 'warning' : 'error';
    const healthMessage =
      health === 'ok'
        ? 'Connected to all KMS nodes.'
        : health === 'warning'
          ? `Some KMS nodes do not answer: ${p.kmsNodeIds.filter((k) => !up.includes(k)).join(', ')}.`
          : `Key provider ${p.name} is unreachable: no KMS node answers.`;
    const version = vc.version ?? DEFAULT_VSPHERE_VERSION;
    const selection = selectionOf(version, p);
    const nodeSelection = { ...selection, nextNodeId: nextNodeId(p.kmsNodeIds, selection.policy, p.nextNodeIndex) };
    return { kind: 'standard', id: p.id, name: p.name, kmsNodeIds: [...p.kmsNodeIds], nodeSelection, isDefault, health, healthMessage };
  }
  return nativeView(p, vc, hosts, isDefault);
}

function nativeView(p: NativeProvider, vc: VcenterContext, hosts: Map<string, HostState>, isDefault: boolean): KeyProviderView {
  const hostsWithKdk = vc.hostIds.filter((id) => hosts.get(id)?.ramKeys.some((k) => k.keyId === p.keyId));
  const eligible = vc.hostIds.filter((id) => {
    const h = hosts.get(id);
    return h && h.power === 'on' && h.connection === 'connected' && (!p.tpmOnly || h.hasTpm);
  });
  const missing = eligible.filter((id) => !hostsWithKdk.includes(id));
  const status = !p.backedUp ? 'notBackedUp' : missing.length > 0 ? 'warning' : 'active';
  const health = status === 'notBackedUp' ? 'error' : status === 'warning' ? 'warning' : 'ok';
  const healthMessage =
    status === 'notBackedUp'
      ? `Key provider ${p.name} requires backup.`
      : status === 'warning'
        ? `vCenter is pushing the key to the hosts (${missing.join(', ')} do not have it yet).`
        : p.tpmOnly
          ? 'Active. Used only with TPM-protected ESXi hosts.'
          : 'Active.';
  return { kind: 'native', id: p.id, name: p.name, keyId: p.keyId, tpmOnly: p.tpmOnly, backedUp: p.backedUp, status, isDefault, hostsWithKdk, health, healthMessage };
}

class KeyMapBuilder {
  private readonly keys = new Map<string, KeyLocation>();

  add(
    keyId: string,
    level: KeyLocation['level'],
    info: { providerId?: string | null; fingerprint?: string; wrappedBy?: string | null; derivedFrom?: string | null },
    place?: KeyLocation['places'][number],
  ) {
    let loc = this.keys.get(keyId);
    if (!loc) {
      loc = { keyId, level, providerId: info.providerId ?? null, fingerprint: info.fingerprint ?? '', wrappedBy: info.wrappedBy ?? null, derivedFrom: info.derivedFrom ?? null, places: [] };
      this.keys.set(keyId, loc);
    }
    if (!loc.derivedFrom && info.derivedFrom) loc.derivedFrom = info.derivedFrom;
    if (!loc.providerId && info.providerId) loc.providerId = info.providerId;
    if (!loc.fingerprint && info.fingerprint) loc.fingerprint = info.fingerprint;
    if (!loc.wrappedBy && info.wrappedBy) loc.wrappedBy = info.wrappedBy;
    if (place && !loc.places.some((p) => p.kind === place.kind && p.objectId === place.objectId)) loc.places.push(place);
  }

  result(): KeyLocation[] {
    return [...this.keys.values()];
  }
}

export function buildView(rt: LabRuntime, labId: string): Omit<LabView, 'saveProblem'> {
  const now = rt.clock.now();
  const rootCtx = rt.root.getSnapshot().context;
  const vcSnap = rt.vcenterRef().getSnapshot();
  const vc = vcSnap.value === 'running' ? vcSnap.context : null;

  const hostStates = new Map<string, HostState>();
  for (const ref of rt.hostRefs()) {
    const s = ref.getSnapshot();
    hostStates.set(s.context.id, { ...s.context, power: s.value as 'on' | 'off' });
  }
  const kmsStatus = new Map<string, KmsNodeStatus>();
  const kmsNodes: KmsNodeView[] = rt.kmsRefs().map((ref) => {
    const s = ref.getSnapshot();
    const c = s.context;
    kmsStatus.set(c.id, s.value as KmsNodeStatus);
    return {
      id: c.id,
      name: c.name,
      address: c.address,
      port: c.port,
      status: s.value as KmsNodeStatus,
      peers: [...c.peers],
      replicationLagMs: c.replicationLagMs,
      keys: c.keys.filter((k) => k.availableAt <= now).map((k) => ({ keyId: k.keyId, state: k.state, createdAt: k.createdAt, fingerprint: k.fingerprint })),
      pendingReplication: c.keys.filter((k) => k.availableAt > now).map((k) => k.keyId),
      replicationInFlight: c.keys
        .filter((k) => k.availableAt > now)
        .map((k) => ({ keyId: k.keyId, from: k.from ?? null, arrivesAt: k.pausedMs === undefined ? k.availableAt : null })),
    };
  });

  const vcenter: VCenterView | null = vc && {
    id: vc.id,
    name: vc.name,
    generation: vc.generation,
    version: vc.version ?? DEFAULT_VSPHERE_VERSION,
    datacenter: vc.datacenter,
    cluster: vc.cluster,
    hostIds: [...vc.hostIds],
    registeredVmIds: [...vc.registeredVmIds],
    keyProviders: rt.providers().map((p) => providerView(p, vc, hostStates, kmsStatus)),
    defaultProviderId: vc.defaultProviderId,
    keyDatabase: vc.keyDatabase.map((e) => ({ keyId: e.keyId, providerId: e.providerId, vmId: e.vmId })),
    users: vc.users.map((u) => ({ ...u, privileges: [...u.privileges] })),
    currentUser: vc.currentUser,
  };

  const hosts: HostView[] = [...hostStates.values()].map((h) => ({
    id: h.id,
    name: h.name,
    hasTpm: h.hasTpm,
    power: h.power,
    connection: h.connection,
    cryptoState: h.cryptoState,
    ramKeys: h.ramKeys.map((k) => ({ ...k })),
    tpmSealedKeys: h.configuration.protection === 'tpm' ? configKeysOf(h) : [],
    configuration: {
      keys: configKeysOf(h),
      protection: h.configuration.protection,
      locked: h.configuration.locked,
      recoveryId: h.configuration.recoveryId,
      recoveryKeyKept: h.configuration.keptRecoveryId !== null && h.configuration.keptRecoveryId === h.configuration.recoveryId,
      keptRecoveryKeyStale: h.configuration.keptRecoveryId !== null && h.configuration.keptRecoveryId !== h.configuration.recoveryId,
    },
    bootDiskCopy: h.bootDiskCopy && { ...h.bootDiskCopy, recoveredKdkIds: [...h.bootDiskCopy.recoveredKdkIds], guestFile: h.bootDiskCopy.guestFile && { ...h.bootDiskCopy.guestFile } },
    runningVmIds: [...h.runningVmIds],
  }));

  const vms: VmView[] = rt.vmRefs().map((ref) => {
    const s = ref.getSnapshot();
    const c = s.context;
    return {
      id: c.id,
      name: c.name,
      datastoreId: c.datastoreId,
      folder: c.folder,
      hostId: c.hostId,
      // A vCenter that is down still has its inventory; a destroyed one has none.
      registered: c.registered && vcSnap.value !== 'destroyed' && vcSnap.context.registeredVmIds.includes(c.id),
      power: s.matches('on') ? 'on' : 'off',
      encryption: c.encryption && { ...c.encryption },
      homeEncryption: c.homeEncryption !== undefined ? c.homeEncryption && { ...c.homeEncryption } : homeOf(c.encryption),
      locked: c.locked && { ...c.locked },
      vtpm: c.vtpm,
      snapshots: c.snapshots,
      diskSizeBytes: c.diskSizeBytes,
      ...(c.features ? { features: { ...c.features } } : {}),
      ...(c.diskFormat ? { diskFormat: c.diskFormat } : {}),
      operation: c.operation && { ...c.operation },
    };
  });

  const datastores: DatastoreView[] = rt.datastoreRefs().map((ref) => {
    const c = ref.getSnapshot().context;
    return { id: c.id, name: c.name, capacityBytes: c.capacityBytes, folders: vms.filter((vm) => vm.datastoreId === c.id).map((vm) => vm.folder).sort() };
  });

  const pendingWaits = rt
    .waitRefs()
    .map((ref) => ref.getSnapshot())
    .filter((s) => s.value === 'waiting')
    .map((s) => ({ id: s.context.id, label: s.context.label, deadline: s.context.deadline }));

  return {
    labId,
    clock: { now, pendingWaits },
    vcenter,
    vcenterStatus: vcSnap.value as LabView['vcenterStatus'],
    hosts,
    kmsNodes,
    datastores,
    vms,
    events: rootCtx.events,
    keyMap: buildKeyMap(rt, vc, hosts, kmsNodes, vms),
    backupFiles: rootCtx.backups.map((b) => ({
      providerId: b.providerId,
      keyId: b.keyId,
      fileName: b.fileName,
      exportedAt: b.exportedAt,
      passwordStrength: b.passwordStrength ?? 'unknown',
    })),
    journal: journalView(rootCtx),
  };
}

const NO_ENTRIES: readonly JournalEntry[] = [];

function journalView(ctx: LabContext): JournalView {
  return {
    entries: ctx.journal ?? NO_ENTRIES,
    redo: ctx.redo ?? NO_ENTRIES,
    notReplayable: ctx.start
      ? null
      : 'This lab was begun before keylab kept a journal of what is done, so it cannot be rebuilt up to an earlier point.',
  };
}

function buildKeyMap(rt: LabRuntime, vc: VcenterContext | null, hosts: HostView[], kmsNodes: KmsNodeView[], vms: VmView[]): KeyLocation[] {
  const map = new KeyMapBuilder();
  const kdkOfProvider = new Map<string, string>();
  for (const p of rt.providers()) {
    if (p.kind !== 'native') continue;
    kdkOfProvider.set(p.id, p.keyId);
    map.add(p.keyId, 'KDK', { providerId: p.id, fingerprint: p.fingerprint }, { kind: 'vcenter-db', objectId: 'vcenter', form: 'plain' });
  }
  for (const b of rt.root.getSnapshot().context.backups) {
    map.add(b.keyId, 'KDK', { providerId: b.providerId, fingerprint: b.fingerprint }, { kind: 'backup-file', objectId: b.providerId, form: 'wrapped' });
  }
  for (const h of hosts) {
    for (const k of h.ramKeys) {
      map.add(k.keyId, k.level, { providerId: k.providerId, fingerprint: k.fingerprint, derivedFrom: k.kdkKeyId ?? null }, { kind: 'host-ram', objectId: h.id, form: 'plain' });
      if (k.level === 'KDK') kdkOfProvider.set(k.providerId, kdkOfProvider.get(k.providerId) ?? k.keyId);
    }
    // Encrypted on the boot disk: "wrapped" either way; whether its key is sealed by the TPM is the host's to say.
    for (const k of h.configuration.keys) {
      map.add(k.keyId, 'KDK', { providerId: k.providerId, fingerprint: k.fingerprint }, { kind: 'host-config', objectId: h.id, form: 'wrapped' });
    }
  }
  const providerOfNode = new Map<string, string>();
  for (const p of rt.providers()) if (p.kind === 'standard') for (const k of p.kmsNodeIds) providerOfNode.set(k, p.id);
  for (const node of kmsNodes) {
    for (const k of node.keys) {
      map.add(k.keyId, 'KEK', { providerId: providerOfNode.get(node.id) ?? null, fingerprint: k.fingerprint }, { kind: 'kms', objectId: node.id, form: 'plain' });
    }
  }
  // vCenter's key database and the VM's files hold key IDs only, for both kinds of provider: a standard KEK stays on
  // the KMS, an NKP KEK is derived again from the KDK and that ID by whoever holds the KDK.
  // An NKP KEK hangs under the KDK its VM's files name (not merely the provider of that name: it may be another NKP).
  const kdkOfKek = new Map<string, string | null>();
  for (const vm of vms) {
    const home = vm.homeEncryption;
    if (home?.providerKind === 'native') kdkOfKek.set(home.keyId, home.kdkKeyId ?? kdkOfProvider.get(home.providerId) ?? null);
  }
  const derivedFrom = (keyId: string) => kdkOfKek.get(keyId) ?? null;
  for (const e of vc?.keyDatabase ?? []) {
    map.add(e.keyId, 'KEK', { providerId: e.providerId, derivedFrom: derivedFrom(e.keyId) }, { kind: 'vcenter-db', objectId: 'vcenter', form: 'key-id' });
  }
  for (const vm of vms) {
    const home = vm.homeEncryption;
    if (home) {
      // In the VM's files (.vmx key locator; with a vTPM also the .nvram's header): the KEK's ID, never the KEK.
      map.add(home.keyId, 'KEK', { providerId: home.providerId, derivedFrom: derivedFrom(home.keyId) }, { kind: 'vm-files', objectId: vm.id, form: 'key-id' });
    }
    const enc = vm.encryption;
    if (!enc) continue;
    const dekId = `dek:${vm.id}`;
    map.add(dekId, 'DEK', { providerId: null, fingerprint: enc.dekFingerprint, wrappedBy: enc.keyId }, { kind: 'vm-files', objectId: vm.id, form: 'wrapped' });
    if (vm.power === 'on' && vm.hostId) map.add(dekId, 'DEK', {}, { kind: 'host-ram', objectId: vm.hostId, form: 'plain' });
  }
  return map.result();
}
