// The closing proof, run through the lab like any learner's read: guest files read back byte for byte through the key
// chain the learner rebuilt, or, for a lost lab, that no key the lab holds opens the disk.
import { errorMessage } from '@/lib/error-message';
import type { LessonBaseline, LessonProof } from '@/lib/lessons/lesson-types';
import type { Lab } from '../lab-types';
import type { ProofResult } from './progress';


export async function runProof(lab: Lab, proof: LessonProof, baseline: LessonBaseline): Promise<ProofResult> {
  const nameOf = (vmId: string) => lab.getView().vms.find((v) => v.id === vmId)?.name ?? vmId;
  if (proof.kind === 'readBack') {
    const files: Extract<ProofResult, { kind: 'readBack' }>['files'] = [];
    for (const f of baseline.guestFiles) {
      try {
        const text = await lab.readGuestFile(f.vmId, f.name);
        const same = text === f.text;
        files.push({ vmId: f.vmId, vmName: nameOf(f.vmId), name: f.name, ok: same, detail: same ? `${new TextEncoder().encode(text).length} bytes, identical` : 'the content differs from what was written' });
      } catch (error) {
        files.push({ vmId: f.vmId, vmName: nameOf(f.vmId), name: f.name, ok: false, detail: errorMessage(error) });
      }
    }
    return { kind: 'readBack', ok: files.length > 0 && files.every((f) => f.ok), files };
  }
  const vms: Extract<ProofResult, { kind: 'unrecoverable' }>['vms'] = [];
  for (const vmId of proof.vmIds) {
    try {
      const sectors = await lab.readDiskSectors(vmId, 0, 1);
      const opened = sectors.plaintext !== null;
      vms.push({ vmId, vmName: nameOf(vmId), opened, detail: opened ? 'a key the lab holds still opens this disk' : (sectors.plaintextUnavailableReason ?? 'no key opens this disk') });
    } catch (error) {
      vms.push({ vmId, vmName: nameOf(vmId), opened: false, detail: errorMessage(error) });
    }
  }
  return { kind: 'unrecoverable', ok: vms.length > 0 && vms.every((v) => !v.opened), vms };
}
