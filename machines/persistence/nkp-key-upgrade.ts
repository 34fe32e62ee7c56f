// Labs saved before NKP keys were derived: their NKP KEKs were random keys carried wrapped by the KDK (in each .vmx's
// key locator), and the hosts' KDK copies could be extracted. On open, such a lab is brought to today's rules with the
// keys it already holds: each such VM's KEK is unwrapped with a KDK the lab still has, and the VM shallow re-keyed,
// under the same key ID, to the KEK that KDK derives; the hosts' KDK copies become derive-only. A VM that no KDK in
// the lab opens is left as it was, and the event log says why and what to do. A vTPM of such a lab was only a flag in
// the .vmx: it is added again for real (its VM home encrypted, its .nvram sealed), or removed, saying why.
import { derivationKdk, deriveKek } from '@/lib/crypto/derive';
import { keyFingerprint } from '@/lib/crypto/keys';
import { unwrapKek } from '@/lib/crypto/wrap';
import { listKeys, putKeys, type StoredKey } from '@/lib/storage';
import { addVtpmCommand } from '../commands/vm-lifecycle';
import { deleteVtpmFiles, readVmFileSet, readVmFileSetsSettled, rekeyShallow, type VmFileSet } from '../data-plane';
import { LabRefusal } from '../commands/lab-refusal';
import type { HostKeyRecord } from '../actors/host.machine';
import { hostRamOwner, hostRamRow, VCENTER_OWNER } from '../keys/key-vault-ids';
import { EVENT } from '../session/lab-event-ids';
import type { LabRuntime, LogInput } from '../session/lab-runtime';

interface HeldKdk {
  key: CryptoKey;
  keyId: string;
  providerId: string;
}

/** Upgrades what it can; returns how many VMs moved to derived keys (0, and no event, for a lab with nothing old). */
export async function upgradeLegacyNkpKeys(rt: LabRuntime): Promise<number> {
  const rows = await listKeys(rt.db);
  // Every KDK the lab holds as it was saved (AES-KW, extractable): vCenter's and the hosts' RAM and TPM copies.
  const legacy = rows.filter((row) => (row.owner === VCENTER_OWNER || row.meta?.level === 'KDK') && row.key.algorithm.name === 'AES-KW' && row.key.extractable);
  const kdks: HeldKdk[] = legacy.flatMap((row) =>
    typeof row.meta?.keyId === 'string' && typeof row.meta?.providerId === 'string' ? [{ key: row.key, keyId: row.meta.keyId, providerId: row.meta.providerId }] : [],
  );
  const hostCopies = legacy.filter((row) => row.owner !== VCENTER_OWNER);

  // Only VMs that can hold old material are read: an NKP's, or one with a vTPM (a big standard-only lab reads none).
  const vms = rt.vmRefs().map((ref) => ref.getSnapshot().context).filter((vm) => vm.vtpm || (vm.homeEncryption ?? vm.encryption)?.providerKind === 'native');
  const sets = vms.length > 0 ? await readVmFileSetsSettled(rt.db, vms) : [];
  const logs: LogInput[] = [];
  let upgraded = 0;
  const flagOnlyVtpms: string[] = [];
  for (const [i, set] of sets.entries()) {
    const vm = vms[i]!;
    if (set instanceof Error) {
      if (/earlier keylab/.test(set.message)) logs.push({ eventTypeId: EVENT.labVmReconciled, severity: 'warning', user: 'lab', objectId: vm.id, message: set.message });
      continue;
    }
    if (set.files.vtpm && !set.files.nvramPath) flagOnlyVtpms.push(vm.id);
    const home = set.files.home;
    if (!home?.legacyKekWrappedByKdk) continue;
    let moved = false;
    for (const kdk of kdks.filter((k) => k.providerId === home.providerId)) {
      let oldKek: CryptoKey;
      try {
        oldKek = await unwrapKek(home.legacyKekWrappedByKdk, kdk.key);
      } catch {
        continue; // another KDK under the same name
      }
      const derived = await deriveKek(kdk.key, home.keyId);
      await rekeyShallow(rt.db, set.files, oldKek, { key: derived, keyId: home.keyId, providerId: home.providerId, kdkKeyId: kdk.keyId });
      await replaceHostKeks(rt, home.keyId, derived, kdk.keyId);
      logs.push({
        eventTypeId: EVENT.labVmReconciled,
        user: 'lab',
        objectId: vm.id,
        keyId: home.keyId,
        message: `VM ${vm.name} was saved by an earlier keylab, whose NKP keys were wrapped by the KDK: its key ${home.keyId} is now derived from the KDK of ${home.providerId} and its ID, as vSphere does (same key ID; the disk was not rewritten).`,
      });
      upgraded++;
      moved = true;
      break;
    }
    if (!moved) {
      logs.push({
        eventTypeId: EVENT.labVmReconciled,
        severity: 'warning',
        user: 'lab',
        objectId: vm.id,
        message: `VM ${vm.name} was saved by an earlier keylab, whose NKP keys were wrapped by the KDK, and no KDK of ${home.providerId} in this lab opens its key, so it cannot be brought to derived keys: restore the .p12 of ${home.providerId} and open the lab again, or reset the lab.`,
      });
    }
  }
  // Only now (the unwraps above needed them as they were): the hosts' copies become derive-only, never extractable.
  const upgradedCopies: StoredKey[] = await Promise.all(hostCopies.map(async (row) => ({ id: row.id, owner: row.owner, key: await derivationKdk(row.key), meta: row.meta })));
  await putKeys(rt.db, upgradedCopies);
  rt.ramCache.clear();
  // Last: adding a vTPM again needs the VM's key as it is now (derived, for an NKP VM).
  for (const vmId of flagOnlyVtpms) {
    const vm = rt.vm(vmId);
    logs.push(await redoFlagOnlyVtpm(rt, vmId, await readVmFileSet(rt.db, vm.datastoreId, vm.folder)));
  }
  if (logs.length > 0) rt.log(...logs);
  return upgraded;
}

/** A vTPM that was only a flag: removed, then added as the lab adds one now (a key from the default provider). */
async function redoFlagOnlyVtpm(rt: LabRuntime, vmId: string, set: VmFileSet): Promise<LogInput> {
  const name = set.files.name;
  await deleteVtpmFiles(rt.db, set);
  rt.vmRef(vmId).send({ type: 'vm.vtpmSet', vtpm: false });
  try {
    await addVtpmCommand(rt, vmId);
    return { eventTypeId: EVENT.labVmReconciled, user: 'lab', objectId: vmId, message: `The Virtual TPM of VM ${name}, added by an earlier keylab that did not encrypt the VM home, was added again: its VM home is now encrypted and its secrets sealed in its .nvram.` };
  } catch (error) {
    if (!(error instanceof LabRefusal)) throw error;
    return { eventTypeId: EVENT.labVmReconciled, severity: 'warning', user: 'lab', objectId: vmId, message: `The Virtual TPM of VM ${name}, added by an earlier keylab that did not encrypt the VM home, was removed and could not be added again (${error.reason}). Add it again once a key provider can encrypt the VM home.` };
  }
}

/** Hosts holding the old (random) KEK in memory hold the derived one instead, recorded with the KDK it comes from. */
async function replaceHostKeks(rt: LabRuntime, keyId: string, derived: CryptoKey, kdkKeyId: string): Promise<void> {
  const fingerprint = await keyFingerprint(derived);
  for (const ref of rt.hostRefs()) {
    const host = ref.getSnapshot().context;
    const old = host.ramKeys.find((k) => k.keyId === keyId);
    if (!old) continue;
    const record: HostKeyRecord = { ...old, fingerprint, kdkKeyId };
    await putKeys(rt.db, [{ id: hostRamRow(host.id, keyId), owner: hostRamOwner(host.id), key: derived, meta: { ...record } }]);
    ref.send({ type: 'host.ramKeysForgotten', keyIds: [keyId] });
    ref.send({ type: 'host.ramKeysAdded', keys: [record] });
  }
}
