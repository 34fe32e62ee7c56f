// The pending-operation record (<vm>.keylab-recrypt): written to a VM's folder BEFORE an encrypt, decrypt or deep
// re-key moves a sector, naming the key the disk is moving to, and removed by the commit that ends it, so a reload
// knows which keys finish the operation.
import { writeTextFile, type KeylabDb } from '@/lib/storage';
import { base64ToBytes, bytesToBase64 } from '@/lib/base64';
import { VmDataError } from './errors';
import type { PendingTarget, PendingVmOperation, VmFiles, VmOperationKind } from './vm-files-model';

const PENDING_SUFFIX = '.keylab-recrypt';

/** The record's path beside the .vmx (of a VM, or of the .vmx row being read). */
export function pendingPath(vm: { vmxPath: string } | { path: string }): string {
  const vmxPath = 'vmxPath' in vm ? vm.vmxPath : vm.path;
  return `${vmxPath.slice(0, -'.vmx'.length)}${PENDING_SUFFIX}`;
}

interface PendingJson {
  kind: VmOperationKind;
  target: null | (Omit<PendingTarget, 'wrappedDek'> & { wrappedDek: string });
  startedAt: number;
}

export function parsePending(where: string, text: string): PendingVmOperation {
  const bad = (why: string) => new VmDataError('VM_FILES_CORRUPT', `${where} (an interrupted operation's record) is damaged: ${why}.`);
  let json: PendingJson & { target: null | { kekWrappedByKdk?: unknown } };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw bad('not JSON');
  }
  if (!['encrypt', 'decrypt', 'rekeyDeep'].includes(json.kind)) throw bad(`unknown operation ${String(json.kind)}`);
  if ((json.kind === 'decrypt') !== (json.target === null)) throw bad('its target key does not fit the operation');
  let target: PendingTarget | null = null;
  if (json.target) {
    if (json.target.kekWrappedByKdk) {
      throw bad('it was written by an earlier keylab, whose NKP keys were wrapped rather than derived; reset the lab');
    }
    const wrappedDek = base64ToBytes(json.target.wrappedDek);
    if (!wrappedDek) throw bad('a wrapped key is not base64');
    target = { ...json.target, kdkKeyId: json.target.kdkKeyId ?? null, wrappedDek };
  }
  return { kind: json.kind, target, startedAt: json.startedAt };
}

/** Persists the pending operation BEFORE any sector moves, so a reload knows which keys are needed to finish it. */
export async function writePendingOperation(db: KeylabDb, vm: VmFiles, pending: PendingVmOperation): Promise<void> {
  const json: PendingJson = {
    kind: pending.kind,
    startedAt: pending.startedAt,
    target: pending.target && { ...pending.target, wrappedDek: bytesToBase64(pending.target.wrappedDek) },
  };
  await writeTextFile(db, vm.datastoreId, pendingPath(vm), `${JSON.stringify(json, null, 2)}\n`);
}
