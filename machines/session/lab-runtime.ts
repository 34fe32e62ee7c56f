// The running lab's handles for command handlers: the root actor and its children, the clock, the database, and
// small helpers for the event log and privileges. No rules live here; they live in the command files.
import type { Actor, ActorRefFrom } from 'xstate';
import type { KeylabDb } from '@/lib/storage';
import type { datastoreMachine } from '../actors/datastore.machine';
import type { hostMachine, HostContext } from '../actors/host.machine';
import type { kmsNodeMachine, KmsNodeContext, KmsNodeStatus } from '../actors/kms-node.machine';
import type { kmsWaitMachine } from '../actors/kms-wait.machine';
import type { LabClock } from './lab-clock';
import { idStateOf, seededUuid } from './lab-ids';
import { EVENT } from './lab-event-ids';
import type { labMachine } from '../actors/lab.machine';
import { refuse } from '../commands/lab-refusal';
import { VaultWriter } from '../keys/vault-writer';
import type { LabCommand, LabEvent, Severity } from '../lab-types';
import { hasPrivilege, noPermissionReason, type Privilege } from '../commands/privileges';
import { providerOf, type keyProviderMachine } from '../actors/key-provider.machine';
import type { Provider, ProviderRecord, vcenterMachine, VcenterContext } from '../actors/vcenter.machine';
import type { vmMachine, VmContext } from '../actors/vm.machine';

export type VcenterRef = ActorRefFrom<typeof vcenterMachine>;
export type HostRef = ActorRefFrom<typeof hostMachine>;
export type KmsRef = ActorRefFrom<typeof kmsNodeMachine>;
export type VmRef = ActorRefFrom<typeof vmMachine>;
export type DatastoreRef = ActorRefFrom<typeof datastoreMachine>;
export type WaitRef = ActorRefFrom<typeof kmsWaitMachine>;
export type ProviderRef = ActorRefFrom<typeof keyProviderMachine>;

export type VcenterStatus = 'running' | 'stopped' | 'destroyed';

export interface LogInput {
  eventTypeId: string;
  message: string;
  severity?: Severity;
  objectId?: string | null;
  keyId?: string | null;
  operation?: string | null;
  /** Defaults to vCenter's current user, or "lab" when there is no running vCenter. */
  user?: string;
}

export class LabRuntime {
  /** The command being run (a KMS wait records it so a reloaded lab can re-run it). */
  currentCommand: LabCommand | null = null;
  /** KMS nodes to skip in this run: found down or hung before the lab was reloaded. */
  skipKmsIds: string[] = [];
  /** How many operations are blocked on a visible wait (so a fast-forward knows the work has reached it). */
  waiting = 0;
  /** Called when `waiting` changes. */
  onWaitingChanged: () => void = () => {};
  /** Marks the view stale when something time-dependent happens (a replicated key arriving). */
  bump: () => void = () => {};
  /** Key-vault writes of concurrent work share transactions. */
  readonly vault: VaultWriter;
  /** Host RAM keys by vault row id, so a key a host holds is not read back from IndexedDB on every use. */
  readonly ramCache = new Map<string, CryptoKey>();
  /** Saves the lab now (a long disk job starting must be on record, so a reload knows to resume it). */
  saveNow: () => void = () => {};
  /** Aborted when the lab is disposed (a closed tab): long disk operations stop at a consistent point. */
  private readonly aborter = new AbortController();
  readonly signal: AbortSignal = this.aborter.signal;

  /** Lab-time timers still pending: a closed lab cancels them, so none fires into stopped actors. */
  private readonly timers = new Set<unknown>();

  /** Runs `fn` after `ms` of lab time, unless the lab is closed first. */
  later(fn: () => void, ms: number): void {
    const id: unknown = this.clock.setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, ms);
    this.timers.add(id);
  }

  /** The lab is closed (a closed tab): long disk operations stop at a consistent point, pending timers are cancelled. */
  abort(): void {
    this.aborter.abort(new Error('The lab was closed.'));
    for (const id of this.timers) this.clock.clearTimeout(id);
    this.timers.clear();
  }

  constructor(
    readonly db: KeylabDb,
    readonly clock: LabClock,
    readonly root: Actor<typeof labMachine>,
  ) {
    this.vault = new VaultWriter(db);
  }

  /** The lab's next id (a key ID): from its seeded generator, so a replayed journal names keys as the first run did. */
  newId(): string {
    return this.newIds(1)[0]!;
  }

  /** Skips `count` ids (a lab reopened after an interruption: see ID_SKIP_AFTER_INTERRUPTION). */
  skipIds(count: number): void {
    this.root.send({ type: 'lab.idsTaken', count });
  }

  /** `count` ids at once (a world build names hundreds of keys: one event, not hundreds). */
  newIds(count: number): string[] {
    const ctx = this.root.getSnapshot().context;
    const { seed, next } = idStateOf(ctx);
    this.root.send({ type: 'lab.idsTaken', count });
    return Array.from({ length: count }, (_, i) => seededUuid(seed, next + i));
  }

  private child<T>(systemId: string): T | undefined {
    return this.root.getSnapshot().children[systemId] as T | undefined;
  }

  private childrenWithPrefix<T>(prefix: string): T[] {
    const out: T[] = [];
    for (const [id, ref] of Object.entries(this.root.getSnapshot().children)) if (id.startsWith(prefix) && ref) out.push(ref as T);
    return out;
  }

  vcenterRef(): VcenterRef {
    const ref = this.child<VcenterRef>('vcenter');
    if (!ref) throw new Error('The lab has no vCenter actor.');
    return ref;
  }

  vcenterStatus(): VcenterStatus {
    return this.vcenterRef().getSnapshot().value as VcenterStatus;
  }

  /** The running vCenter's database, or null when it is stopped or destroyed. */
  vcenter(): VcenterContext | null {
    const snap = this.vcenterRef().getSnapshot();
    return snap.value === 'running' ? snap.context : null;
  }

  /** The running vCenter, or a refusal naming why it cannot answer. */
  requireVcenter(): VcenterContext {
    const status = this.vcenterStatus();
    if (status === 'destroyed') refuse('VCENTER_DESTROYED', 'There is no vCenter Server: it was destroyed. Deploy a new one first.');
    if (status === 'stopped') refuse('VCENTER_DOWN', 'vCenter Server is not reachable (stopped). Start it, or work on the ESXi host directly.');
    return this.vcenterRef().getSnapshot().context;
  }

  /** The key providers of the running vCenter (none when it is down or gone), in the order they were added. */
  providers(): Provider[] {
    const vc = this.vcenter();
    if (!vc) return [];
    return vc.providerIds.map((id) => this.provider(id)).filter((p): p is Provider => !!p);
  }

  provider(providerId: string): Provider | undefined {
    if (!this.vcenter()?.providerIds.includes(providerId)) return undefined;
    const snapshot = this.child<ProviderRef>(`provider:${providerId}`)?.getSnapshot();
    return snapshot && providerOf(snapshot);
  }

  /** Configures a key provider in vCenter: a `provider:<id>` actor, recorded in vCenter's database. */
  addProvider(provider: ProviderRecord): void {
    this.root.send({ type: 'lab.spawn', requests: [{ src: 'keyProvider', input: provider }] });
    this.vcenterRef().send({ type: 'provider.added', providerId: provider.id });
  }

  providerRef(providerId: string): ProviderRef | undefined {
    return this.child<ProviderRef>(`provider:${providerId}`);
  }

  removeProvider(providerId: string): void {
    this.vcenterRef().send({ type: 'provider.removed', providerId });
    this.root.send({ type: 'lab.stopChild', systemId: `provider:${providerId}` });
  }

  /** Every provider actor, running vCenter or not (vCenter's destruction stops them all). */
  providerRefs(): ProviderRef[] {
    return this.childrenWithPrefix<ProviderRef>('provider:');
  }

  /** A child that must exist: refused with `code` (naming what was asked for) when it does not. */
  private required<T>(systemId: string, code: 'NO_SUCH_HOST' | 'NO_SUCH_KMS' | 'NO_SUCH_VM', reason: string): T {
    const ref = this.child<T>(systemId);
    if (!ref) refuse(code, reason);
    return ref;
  }

  hostRef(hostId: string): HostRef {
    return this.required(`host:${hostId}`, 'NO_SUCH_HOST', `There is no host "${hostId}".`);
  }

  host(hostId: string): HostContext & { power: 'on' | 'off' } {
    const snap = this.hostRef(hostId).getSnapshot();
    return { ...snap.context, power: snap.value as 'on' | 'off' };
  }

  hostRefs(): HostRef[] {
    return this.childrenWithPrefix<HostRef>('host:');
  }

  kmsRef(kmsId: string): KmsRef {
    return this.required(`kms:${kmsId}`, 'NO_SUCH_KMS', `There is no KMS node "${kmsId}".`);
  }

  kms(kmsId: string): KmsNodeContext & { status: KmsNodeStatus } {
    const snap = this.kmsRef(kmsId).getSnapshot();
    return { ...snap.context, status: snap.value as KmsNodeStatus };
  }

  kmsRefs(): KmsRef[] {
    return this.childrenWithPrefix<KmsRef>('kms:');
  }

  vmRef(vmId: string): VmRef {
    return this.required(`vm:${vmId}`, 'NO_SUCH_VM', `There is no VM "${vmId}".`);
  }

  vm(vmId: string): VmContext & { power: 'on' | 'off' } {
    const snap = this.vmRef(vmId).getSnapshot();
    return { ...snap.context, power: snap.matches('on') ? 'on' : 'off' };
  }

  vmRefs(): VmRef[] {
    return this.childrenWithPrefix<VmRef>('vm:');
  }

  datastoreRefs(): DatastoreRef[] {
    return this.childrenWithPrefix<DatastoreRef>('datastore:');
  }

  waitRefs(): WaitRef[] {
    return this.childrenWithPrefix<WaitRef>('wait:');
  }

  currentUserName(): string {
    const vc = this.vcenter();
    return vc ? vc.currentUser : 'root (ESXi host client)';
  }

  /** Refuses with vSphere's NoPermission text when vCenter's current user lacks the privilege. */
  requirePrivilege(privilege: Privilege): void {
    const vc = this.requireVcenter();
    const user = vc.users.find((u) => u.name === vc.currentUser);
    if (!hasPrivilege(user, privilege)) refuse('NO_PERMISSION', noPermissionReason(vc.currentUser, privilege));
  }

  log(...inputs: LogInput[]): void {
    // A closed lab (its root stopped) has no one to tell.
    if (this.root.getSnapshot().status !== 'active') return;
    const time = this.clock.now();
    const user = this.currentUserName();
    const events: Omit<LabEvent, 'id'>[] = inputs.map((e) => ({
      time,
      eventTypeId: e.eventTypeId,
      severity: e.severity ?? 'info',
      user: e.user ?? user,
      objectId: e.objectId ?? null,
      keyId: e.keyId ?? null,
      operation: e.operation ?? null,
      message: e.message,
    }));
    this.root.send({ type: 'lab.log', events });
  }

  /** Every cryptographic operation records user, time, key ID and operation (com.vmware.vc.crypto.Operation). */
  logCrypto(operation: string, keyId: string | null, objectId: string | null, message: string): void {
    this.log({ eventTypeId: EVENT.cryptoOperation, operation, keyId, objectId, message });
  }
}
