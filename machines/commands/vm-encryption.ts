// VM encryption commands: encrypt, decrypt, shallow and deep re-key, and resuming an interrupted long operation.
// vSphere's rules the view holds are checked before they run (preconditions/vm-encryption.ts); whether the keys can be
// had is found out here. The disk and file work is the data plane's.
import { decryptVm, decryptVmHome, encryptVm, pendingOperation, rekeyDeep, rekeyShallow, rekeyShallowMany, resumeOperation, type LongOperationOptions, type VmFiles } from '../data-plane';
import { kekForVm, ramKey } from '../keys/host-keys';
import { provisionKek, provisionKeks, resolveProvider, type ProvisionedKek } from '../keys/kek-provisioning';
import { EVENT } from '../session/lab-event-ids';
import { LabRefusal, refuse } from './lab-refusal';
import { inBatches } from '../session/in-batches';
import { dropDiskJob, registerDiskJob } from '../actors/disk-jobs';
import type { LabRuntime, LogInput } from '../session/lab-runtime';
import type { VmEncryptionView, VmHomeEncryptionView, VmOperationView } from '../lab-types';
import { reconcileVm } from '../persistence/reconcile';
import { buildView } from '../view/lab-view';
import { kekOrLock, keyRefOf, openVmKeysOrLock, progressOf, readFilesOf } from './vm-access';
import { keyFingerprint } from '@/lib/crypto/keys';
import { checkCommand } from './preconditions';

function encryptionView(rt: LabRuntime, files: VmFiles, kind?: 'standard' | 'native'): VmEncryptionView | null {
  if (!files.encryption) return null;
  const provider = rt.provider(files.encryption.providerId);
  return {
    providerId: files.encryption.providerId,
    providerName: provider?.name ?? files.encryption.providerId,
    providerKind: kind ?? provider?.kind ?? (files.encryption.kdkKeyId ? 'native' : 'standard'),
    keyId: files.encryption.keyId,
    kdkKeyId: files.encryption.kdkKeyId,
    dekFingerprint: files.encryption.dekFingerprint,
  };
}

export { encryptionView };

/** The VM home's key as the view shows it (set whenever the VM is encrypted, disks or VM home only). */
export function homeEncryptionView(rt: LabRuntime, files: VmFiles): VmHomeEncryptionView | null {
  if (!files.home) return null;
  const provider = rt.provider(files.home.providerId);
  return {
    providerId: files.home.providerId,
    providerName: provider?.name ?? files.home.providerId,
    providerKind: provider?.kind ?? (files.home.kdkKeyId ? 'native' : 'standard'),
    keyId: files.home.keyId,
    kdkKeyId: files.home.kdkKeyId,
  };
}

function requireHost(vm: { name: string; hostId: string | null }): string {
  if (!vm.hostId) refuse('NO_HOST', `VM ${vm.name} is not on any host.`);
  return vm.hostId;
}

/**
 * Runs a long disk operation as the VM actor's invoked `diskJob` promise actor, so the statechart shows it (off.working)
 * and a reload finds it interrupted. Progress is reported to the actor as it goes.
 */
async function runLong(
  rt: LabRuntime,
  vmId: string,
  kind: VmOperationView['kind'],
  work: (opts: LongOperationOptions) => Promise<VmFiles>,
): Promise<VmFiles> {
  const onProgress = progressOf(rt, vmId, kind);
  // One 1 MiB extent per batch: the lab's disks are small, and the learner should see the progress move. The signal
  // stops the run when the lab is closed, as a closed tab would; the journal lets it resume.
  const { jobId, result } = registerDiskJob(() => work({ onProgress, signal: rt.signal, batchExtents: 1 }));
  const ref = rt.vmRef(vmId);
  ref.send({ type: 'vm.diskJobStart', jobId, kind });
  if (ref.getSnapshot().context.jobId !== jobId) {
    const refusal = new LabRefusal('VM_BUSY', `VM ${rt.vm(vmId).name} cannot start this disk operation in its current state.`);
    dropDiskJob(jobId, refusal);
    throw refusal;
  }
  rt.saveNow();
  return result;
}

export async function encryptCommand(rt: LabRuntime, vmId: string, providerId?: string): Promise<string> {
  const vm = rt.vm(vmId);
  const hostId = requireHost(vm);
  const kek = await diskKek(rt, vmId, hostId, providerId);
  const files = await runLong(rt, vmId, 'encrypt', (opts) => encryptVm(rt.db, vm, kek, opts));
  rt.vmRef(vmId).send({ type: 'vm.encryptionChanged', encryption: encryptionView(rt, files, kek.providerKind) });
  rt.logCrypto('Encrypt', kek.keyId, vmId, `VM ${vm.name} encrypted with key ${kek.keyId} of ${kek.providerName}.`);
  return `VM ${vm.name} is encrypted with key ${kek.keyId} of ${kek.providerName}.`;
}

/**
 * The KEK a VM's disks are encrypted with: a new one from the provider, or, when its VM home is encrypted already (a
 * vTPM), the VM's own key: the .vmx names one key for the VM home and its disks.
 */
async function diskKek(rt: LabRuntime, vmId: string, hostId: string, providerId: string | undefined): Promise<ProvisionedKek> {
  const vm = rt.vm(vmId);
  const home = vm.homeEncryption;
  if (!home) return provisionKek(rt, resolveProvider(rt, providerId, `encrypt VM ${vm.name}`), hostId, vmId);
  const files = await readFilesOf(rt, vm);
  const key = (await openVmKeysOrLock(rt, vmId, hostId, files))!;
  return { ...home, key, kdkKeyId: files.home?.kdkKeyId ?? null, fingerprint: await keyFingerprint(key) };
}

export async function decryptCommand(rt: LabRuntime, vmId: string): Promise<string> {
  const vm = rt.vm(vmId);
  const hostId = requireHost(vm);
  const before = await readFilesOf(rt, vm);
  const kek = await kekOrLock(rt, vmId, hostId, before);
  // Its precondition refused a VM that is not encrypted (disks, or a VM home left encrypted without a vTPM).
  const oldKeyId = (vm.encryption ?? vm.homeEncryption)!.keyId;
  if (!before.encryption) {
    await decryptVmHome(rt.db, vm, kek);
    rt.vmRef(vmId).send({ type: 'vm.encryptionChanged', encryption: null, home: null });
    rt.vcenterRef().send({ type: 'keydb.removed', keyIds: [oldKeyId] });
    rt.logCrypto('Decrypt', oldKeyId, vmId, `The VM home of VM ${vm.name} is decrypted; key ${oldKeyId} is no longer used.`);
    return `VM ${vm.name} is decrypted (its VM home: its disks were not encrypted).`;
  }
  const after = await runLong(rt, vmId, 'decrypt', (opts) => decryptVm(rt.db, vm, kek, opts));
  rt.vmRef(vmId).send({ type: 'vm.encryptionChanged', encryption: null, home: homeEncryptionView(rt, after) });
  if (after.home) {
    // A vTPM needs its VM home encrypted: only the disks are decrypted, and the key stays in use.
    rt.logCrypto('Decrypt', oldKeyId, vmId, `The disks of VM ${vm.name} are decrypted; its VM home stays encrypted with key ${oldKeyId} (its Virtual TPM needs it).`);
    return `The disks of VM ${vm.name} are decrypted; its VM home (.vmx, .nvram) stays encrypted with key ${oldKeyId}, as its Virtual TPM needs.`;
  }
  rt.vcenterRef().send({ type: 'keydb.removed', keyIds: [oldKeyId] });
  rt.logCrypto('Decrypt', oldKeyId, vmId, `VM ${vm.name} decrypted; key ${oldKeyId} is no longer used.`);
  return `VM ${vm.name} is decrypted.`;
}

/** The VM's current KEK on its host (fetched, or the VM locked, when missing) and the provider of its new one. */
async function rekeyTarget(rt: LabRuntime, vmId: string, providerId: string | undefined) {
  const vm = rt.vm(vmId);
  // The re-key's precondition refused a VM that is not encrypted; a vTPM's VM home alone is re-keyed too.
  const encryption = (vm.homeEncryption ?? vm.encryption)!;
  const hostId = requireHost(vm);
  // The host usually holds the current KEK already; the VM's files are read only when it must be fetched.
  const oldKek = (await ramKey(rt, hostId, encryption.keyId)) ?? (await kekOrLock(rt, vmId, hostId, await readFilesOf(rt, vm)));
  // Like Set-VM -KeyProvider: the provider named, else the default (how VMs move to a new NKP), else the current one.
  const provider = resolveProvider(rt, providerId ?? rt.requireVcenter().defaultProviderId ?? encryption.providerId, `re-key VM ${vm.name}`);
  return { vmId, vm, hostId, oldKek, provider, oldKeyId: encryption.keyId };
}

async function prepareRekey(rt: LabRuntime, vmId: string, providerId: string | undefined) {
  const { vm, hostId, oldKek, provider, oldKeyId } = await rekeyTarget(rt, vmId, providerId);
  const newKek: ProvisionedKek = await provisionKek(rt, provider, hostId, vmId);
  return { vm, oldKek, newKek, oldKeyId, providerName: provider.name };
}

function finishRekey(rt: LabRuntime, vmId: string, files: VmFiles, newKek: ProvisionedKek, oldKeyId: string, deep: boolean): string {
  return finishRekeys(rt, [{ vmId, files, newKek, oldKeyId }], deep)[0]!;
}

/** The VMs show their new keys, vCenter forgets the old ones, and each re-key is logged as a crypto operation. */
function finishRekeys(
  rt: LabRuntime,
  done: readonly { vmId: string; files: VmFiles; newKek: ProvisionedKek; oldKeyId: string }[],
  deep: boolean,
): string[] {
  if (done.length === 0) return [];
  const what = deep ? 'Deep re-key' : 'Shallow re-key';
  const messages: string[] = [];
  const logs: LogInput[] = [];
  for (const { vmId, files, newKek, oldKeyId } of done) {
    const name = rt.vm(vmId).name;
    rt.vmRef(vmId).send({ type: 'vm.encryptionChanged', encryption: encryptionView(rt, files, newKek.providerKind), home: homeEncryptionView(rt, files) });
    logs.push({
      eventTypeId: EVENT.cryptoOperation,
      operation: deep ? 'RekeyDeep' : 'RekeyShallow',
      keyId: newKek.keyId,
      objectId: vmId,
      message: `${what} of VM ${name}: key ${oldKeyId} replaced by ${newKek.keyId} of ${newKek.providerName}.`,
    });
    messages.push(`${what} of VM ${name} done: its KEK is now ${newKek.keyId} of ${newKek.providerName}${deep ? ', with a new DEK' : ''}.`);
  }
  rt.vcenterRef().send({ type: 'keydb.removed', keyIds: done.map((d) => d.oldKeyId) });
  rt.log(...logs);
  return messages;
}

export async function rekeyShallowCommand(rt: LabRuntime, vmId: string, providerId?: string): Promise<string> {
  const { vm, oldKek, newKek, oldKeyId } = await prepareRekey(rt, vmId, providerId);
  try {
    const files = await rekeyShallow(rt.db, vm, oldKek, newKek);
    return finishRekey(rt, vmId, files, newKek, oldKeyId, false);
  } catch (error) {
    rt.log({ eventTypeId: EVENT.rekeyFail, severity: 'error', objectId: vmId, keyId: newKek.keyId, message: `Re-key of VM ${vm.name} failed: ${String(error)}` });
    throw error;
  }
}

/**
 * Many shallow re-keys in one task, with the same checks, keys and events as one by one; but the new KEKs of a
 * provider are created and stored together, and the VMs' files are read in one transaction and committed in one (the
 * keys first, so no file ever names a key that is not stored). VMs refused are listed; the others are re-keyed.
 */
export async function rekeyShallowManyCommand(rt: LabRuntime, vmIdsAsked: string[], providerId?: string): Promise<string> {
  // A VM named twice is re-keyed once.
  const vmIds = [...new Set(vmIdsAsked)];
  const failures: string[] = [];
  const refused = (vmId: string, error: unknown): null => {
    if (!(error instanceof LabRefusal)) throw error;
    failures.push(`${vmId}: ${error.reason}`);
    return null;
  };
  // Each VM meets a single shallow re-key's precondition, on the world as it is when the task starts.
  const view = { ...buildView(rt, ''), saveProblem: null };
  const targets = (
    await inBatches(vmIds, 8, async (vmId) => {
      try {
        const refusal = checkCommand(view, { type: 'vm.rekeyShallow', vmId, providerId });
        if (refusal) throw new LabRefusal(refusal.code, refusal.reason);
        return await rekeyTarget(rt, vmId, providerId);
      } catch (error) {
        return refused(vmId, error);
      }
    })
  ).filter((t) => t !== null);

  const ready: { target: (typeof targets)[number]; newKek: ProvisionedKek }[] = [];
  for (const provider of new Map(targets.map((t) => [t.provider.id, t.provider])).values()) {
    const group = targets.filter((t) => t.provider.id === provider.id);
    const keks = await provisionKeks(rt, provider, group);
    group.forEach((target, i) => {
      const kek = keks[i]!;
      if (kek instanceof LabRefusal) refused(target.vmId, kek);
      else ready.push({ target, newKek: kek });
    });
  }

  const logFailure = ({ target, newKek }: (typeof ready)[number], error: unknown) =>
    rt.log({ eventTypeId: EVENT.rekeyFail, severity: 'error', objectId: target.vmId, keyId: newKek.keyId, message: `Re-key of VM ${target.vm.name} failed: ${String(error)}` });
  let results: Awaited<ReturnType<typeof rekeyShallowMany>>;
  try {
    results = await rekeyShallowMany(
      rt.db,
      ready.map(({ target, newKek }) => ({ vm: target.vm, oldKek: target.oldKek, newKek })),
    );
  } catch (error) {
    // Nothing was committed (a full quota, say): every VM keeps its old key.
    for (const item of ready) logFailure(item, error);
    throw error;
  }
  let failed: Error | null = null;
  const done: { vmId: string; files: VmFiles; newKek: ProvisionedKek; oldKeyId: string }[] = [];
  results.forEach((result, i) => {
    const { target, newKek } = ready[i]!;
    if (result instanceof Error) {
      logFailure(ready[i]!, result);
      if (result instanceof LabRefusal) refused(target.vmId, result);
      else failed ??= result;
    } else {
      done.push({ vmId: target.vmId, files: result, newKek, oldKeyId: target.oldKeyId });
    }
  });
  finishRekeys(rt, done, false);
  if (failed) throw failed;
  if (failures.length > 0) {
    refuse('PARTIAL', `${vmIds.length - failures.length} of ${vmIds.length} VMs re-keyed; refused: ${failures.slice(0, 5).join(' | ')}${failures.length > 5 ? ' | …' : ''}`);
  }
  return `${vmIds.length} VM(s) re-keyed (shallow).`;
}

export async function rekeyDeepCommand(rt: LabRuntime, vmId: string, providerId?: string): Promise<string> {
  const { vm, oldKek, newKek, oldKeyId } = await prepareRekey(rt, vmId, providerId);
  try {
    const files = await runLong(rt, vmId, 'rekeyDeep', (opts) => rekeyDeep(rt.db, vm, oldKek, newKek, opts));
    return finishRekey(rt, vmId, files, newKek, oldKeyId, true);
  } catch (error) {
    rt.log({ eventTypeId: EVENT.rekeyFail, severity: 'error', objectId: vmId, keyId: newKek.keyId, message: `Deep re-key of VM ${vm.name} was interrupted: ${String(error)}` });
    throw error;
  }
}

/** Finishes an interrupted encrypt, decrypt or deep re-key of one VM with the keys its files name. */
export async function resumeVmOperation(rt: LabRuntime, vmId: string): Promise<string | null> {
  const vm = rt.vm(vmId);
  const info = await pendingOperation(rt.db, vm);
  if (!info) {
    // No pending record: the operation finished on disk (or never began there) before the lab could save. The files
    // say which, so the page takes its state from them instead of just dropping the operation.
    const note = await reconcileVm(rt, vmId, await readFilesOf(rt, vm), (keyId) => rt.vmRefs().some((r) => r.id !== `vm:${vmId}` && r.getSnapshot().context.encryption?.keyId === keyId));
    if (note) rt.log({ eventTypeId: EVENT.labVmReconciled, severity: 'warning', objectId: vmId, user: 'lab', message: note });
    return note;
  }
  const hostId = requireHost(vm);
  const files = await readFilesOf(rt, vm);
  const current = files.encryption ? await kekOrLock(rt, vmId, hostId, files) : null;
  const target = info.to
    ? {
        key: await kekForVm(rt, hostId, { providerId: info.to.providerId, keyId: info.to.keyId, kdkKeyId: info.to.kdkKeyId }),
        keyId: info.to.keyId,
        providerId: info.to.providerId,
        kdkKeyId: info.to.kdkKeyId,
      }
    : null;
  const after = await runLong(rt, vmId, info.kind, (opts) => resumeOperation(rt.db, vm, { current, target }, opts));
  rt.vmRef(vmId).send({ type: 'vm.encryptionChanged', encryption: encryptionView(rt, after) });
  rt.logCrypto(info.kind === 'rekeyDeep' ? 'RekeyDeep' : info.kind === 'encrypt' ? 'Encrypt' : 'Decrypt', info.to?.keyId ?? info.from?.keyId ?? null, vmId, `Interrupted ${info.kind} of VM ${vm.name} resumed and finished.`);
  return `VM ${vm.name}: interrupted ${info.kind} finished.`;
}

export { keyRefOf };
