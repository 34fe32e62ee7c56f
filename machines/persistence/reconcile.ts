// After a crash the datastore is the truth: a tab can die between a disk commit and the lab's save, so on open (and
// when an operation is resumed or a VM registered) each VM's page is brought in line with its .vmx, disk descriptor
// and pending-operation record: encryption (provider, key ID, DEK), vTPM, an operation still pending or not.
import { keyFingerprint } from '@/lib/crypto/keys';
import { getKeys, listKeyIds } from '@/lib/storage';
import { pendingOperation, readVmFileSetsSettled, VmDataError, type VmFiles } from '../data-plane';
import { kmsKeyRow, kmsOwner } from '../keys/key-vault-ids';
import { encryptionView, homeEncryptionView } from '../commands/vm-encryption';
import { EVENT } from '../session/lab-event-ids';
import type { LabRuntime, LogInput } from '../session/lab-runtime';
import type { VmEncryptionView } from '../lab-types';

function sameEncryption(view: VmEncryptionView | null, files: VmFiles): boolean {
  const enc = files.encryption;
  if (!view || !enc) return !view && !enc;
  return view.keyId === enc.keyId && view.providerId === enc.providerId && view.dekFingerprint === enc.dekFingerprint;
}

/** A restored VM whose disk job died with the old tab is still `working` for a moment; its failure lands first. */
async function untilNotWorking(rt: LabRuntime, vmId: string): Promise<void> {
  for (let i = 0; i < 50 && rt.vmRef(vmId).getSnapshot().matches({ off: 'working' }); i++) await new Promise((r) => setTimeout(r, 0));
}

/**
 * Brings one VM's page in line with its files. `keyInUse` tells whether another VM's files still name a key (so an
 * old key is dropped from vCenter's key database only when no VM uses it). Returns what was corrected, or null.
 */
export async function reconcileVm(rt: LabRuntime, vmId: string, files: VmFiles, keyInUse: (keyId: string) => boolean = () => false): Promise<string | null> {
  await untilNotWorking(rt, vmId);
  const vm = rt.vm(vmId);
  const ref = rt.vmRef(vmId);
  const fixed: string[] = [];

  const homeKeyId = (vm.homeEncryption !== undefined ? vm.homeEncryption : vm.encryption)?.keyId ?? null;
  if (!sameEncryption(vm.encryption, files) || homeKeyId !== (files.home?.keyId ?? null)) {
    ref.send({ type: 'vm.encryptionChanged', encryption: encryptionView(rt, files), home: homeEncryptionView(rt, files) });
    fixed.push(
      files.encryption
        ? `encrypted with key ${files.encryption.keyId} of ${files.encryption.providerId}`
        : files.home
          ? `its VM home only encrypted, with key ${files.home.keyId} of ${files.home.providerId}`
          : 'not encrypted',
    );
    // A VM whose files carry no key cannot be locked for want of one.
    if (!files.home && vm.locked) ref.send({ type: 'vm.unlocked' });
  }
  if (files.vtpm !== vm.vtpm) {
    ref.send({ type: 'vm.vtpmSet', vtpm: files.vtpm });
    fixed.push(files.vtpm ? 'with a Virtual TPM' : 'without a Virtual TPM');
  }

  if (files.pending) {
    if (!vm.operation || vm.operation.kind !== files.pending.kind || !vm.operation.interrupted) {
      const info = await pendingOperation(rt.db, files);
      ref.send({ type: 'vm.operationProgress', operation: { kind: files.pending.kind, done: info?.done ?? 0, total: files.diskSizeBytes, interrupted: true } });
      if (!vm.operation) fixed.push(`with an unfinished ${files.pending.kind === 'rekeyDeep' ? 'deep re-key' : files.pending.kind} to resume`);
    }
  } else if (vm.operation) {
    // No pending record: the operation either finished on disk or never began there. Either way nothing is left to do.
    ref.send({ type: 'vm.operationEnded' });
    fixed.push(`with no unfinished ${vm.operation.kind === 'rekeyDeep' ? 'deep re-key' : vm.operation.kind}`);
  }

  const vc = rt.vcenter();
  if (vc && vc.registeredVmIds.includes(vmId)) {
    // The VM home's key is the VM's key, its disks encrypted or not (a vTPM's VM home only).
    const enc = files.home;
    // vCenter's key database follows the files too: the key they name is known, the key they no longer name is not.
    if (enc && !vc.keyDatabase.some((e) => e.keyId === enc.keyId)) {
      rt.vcenterRef().send({ type: 'keydb.put', entries: [{ keyId: enc.keyId, providerId: enc.providerId, vmId }] });
    }
    const oldKeyId = homeKeyId;
    if (oldKeyId && oldKeyId !== enc?.keyId && !keyInUse(oldKeyId) && vc.keyDatabase.some((e) => e.keyId === oldKeyId && e.vmId === vmId)) {
      rt.vcenterRef().send({ type: 'keydb.removed', keyIds: [oldKeyId] });
    }
  }
  return fixed.length > 0 ? `VM ${vm.name} is shown as its files on the datastore have it: ${fixed.join(', ')}.` : null;
}

/**
 * A KMS node's keys are its own storage (the key vault), written before the lab hears of them: a key stored there but
 * missing from the node's record (the tab died before the save) is still on the node, Active as when it was created.
 */
export async function reconcileKmsKeys(rt: LabRuntime): Promise<number> {
  let added = 0;
  for (const ref of rt.kmsRefs()) {
    const node = ref.getSnapshot().context;
    const known = new Set(node.keys.map((k) => k.keyId));
    // Ids first, from the owner index: only the keys the record misses are loaded (a big lab holds thousands).
    const missing = (await listKeyIds(rt.db, kmsOwner(node.id))).filter((id) => !known.has(id.slice(kmsKeyRow(node.id, '').length)));
    if (missing.length === 0) continue;
    const rows = (await getKeys(rt.db, missing)).filter((row) => row !== undefined);
    if (rows.length === 0) continue;
    const now = rt.clock.now();
    const keys = await Promise.all(
      rows.map(async (row) => ({
        keyId: row.id.slice(kmsKeyRow(node.id, '').length),
        state: 'Active' as const,
        createdAt: now,
        fingerprint: await keyFingerprint(row.key).catch(() => 'unknown'),
        availableAt: now,
      })),
    );
    ref.send({ type: 'kms.keysAdded', keys });
    added += keys.length;
  }
  return added;
}

/** Every VM of the lab against its files, read in one transaction. Logs each correction; returns how many VMs changed. */
export async function reconcileWithFiles(rt: LabRuntime): Promise<number> {
  await reconcileKmsKeys(rt);
  const vms = rt.vmRefs().map((ref) => ref.getSnapshot().context);
  if (vms.length === 0) return 0;
  const sets = await readVmFileSetsSettled(rt.db, vms);
  const usedKeys = new Set<string>();
  for (const set of sets) if (!(set instanceof VmDataError) && set.files.home) usedKeys.add(set.files.home.keyId);
  const logs: LogInput[] = [];
  for (const [i, set] of sets.entries()) {
    // A VM whose files cannot be read is left as it was; its page says what is wrong with them when it is used.
    if (set instanceof VmDataError) continue;
    const note = await reconcileVm(rt, vms[i]!.id, set.files, (keyId) => usedKeys.has(keyId));
    if (note) {
      logs.push({
        eventTypeId: EVENT.labVmReconciled,
        severity: 'warning',
        objectId: vms[i]!.id,
        user: 'lab',
        message: `${note} The lab was closed before it saved the end of the last operation; the datastore is the truth.`,
      });
    }
  }
  if (logs.length > 0) rt.log(...logs);
  return logs.length;
}
