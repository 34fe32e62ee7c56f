// A snapshot with memory of a plain running VM: beside its .vmx, ESXi writes <name>-Snapshot<n>.vmsn (the VM's state
// and configuration at that moment) and <name>-Snapshot<n>.vmem (the guest's RAM). The lab's guest keeps its files in
// its page cache, so the .vmem holds their text as the guest has it in memory: plaintext on the datastore, which is why
// the material's vSphere refuses memory snapshots of an encrypted VM.
import { readTextFile, writeTextFiles, type KeylabDb } from '@/lib/storage';
import { listGuestFiles, readGuestFile } from './guest-disk';
import type { VmFiles } from './vm-files-model';

export interface MemorySnapshotFiles {
  vmsnPath: string;
  vmemPath: string;
}

/** Writes snapshot `index`'s .vmsn and .vmem of the plain VM (both in one transaction). */
export async function writeMemorySnapshot(db: KeylabDb, files: VmFiles, index: number, takenAt: number): Promise<MemorySnapshotFiles> {
  const base = files.vmxPath.slice(0, -'.vmx'.length);
  const vmsnPath = `${base}-Snapshot${index}.vmsn`;
  const vmemPath = `${base}-Snapshot${index}.vmem`;
  const vmx = (await readTextFile(db, files.datastoreId, files.vmxPath)) ?? '';
  const pages: string[] = [];
  for (const { name } of await listGuestFiles(db, files, null)) {
    pages.push(`--- page cache: ${name} ---\n${await readGuestFile(db, files, null, name)}`);
  }
  const vmsn = `# snapshot ${index} of ${files.name}, with memory\nsnapshot.createTime = "${takenAt}"\nsnapshot.memoryFile = "${vmemPath.split('/').pop()}"\n\n${vmx}`;
  const vmem = `# guest memory of ${files.name} at snapshot ${index} (the lab's guest RAM: its page cache)\n${pages.join('\n')}\n`;
  await writeTextFiles(db, files.datastoreId, [
    { path: vmsnPath, text: vmsn },
    { path: vmemPath, text: vmem },
  ]);
  return { vmsnPath, vmemPath };
}
