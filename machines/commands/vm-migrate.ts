// Migrate a VM to another host of the same vCenter: vMotion when it runs, a cold migration when it is off.
// An encrypted VM always moves by encrypted vMotion and needs Cryptographer.Migrate; before a running one moves,
// vCenter gets its KEK onto the destination host (fetched from the KMS by key ID, or for NKP derived from the KDK it
// pushes and the key ID). When the key cannot get there the migration fails and the VM keeps running where it was (it is not locked). Where
// vSphere refuses before any key moves is the command's precondition (preconditions/vm-lifecycle.ts).
import { unwrapVmDek } from '../data-plane';
import { kekForVm } from '../keys/host-keys';
import { KeyUnavailable } from '../keys/key-unavailable';
import { EVENT } from '../session/lab-event-ids';
import { refuse } from './lab-refusal';
import type { LabRuntime } from '../session/lab-runtime';
import { keyRefOf, readFilesOf } from './vm-access';

export async function migrateCommand(rt: LabRuntime, vmId: string, hostId: string): Promise<string> {
  const vm = rt.vm(vmId);
  const target = rt.host(hostId);
  const sourceId = vm.hostId;
  const source = sourceId ? rt.host(sourceId) : null;
  const running = vm.power === 'on';
  const files = await readFilesOf(rt, vm);

  let keyNote = '';
  if (running && files.encryption) {
    // The destination must open the VM's DEK before the memory state moves over.
    try {
      const kek = await kekForVm(rt, hostId, keyRefOf(files));
      await unwrapVmDek(files, kek);
    } catch (error) {
      if (error instanceof KeyUnavailable) {
        refuse(
          'MIGRATE_KEY_UNAVAILABLE',
          `Cannot migrate encrypted VM ${vm.name} to ${target.name}: the destination host cannot get key ${files.encryption.keyId} (${error.keyReason}). ${error.reason} The VM keeps running on ${source?.name ?? 'its host'}.`,
        );
      }
      throw error;
    }
    keyNote = ` Encrypted vMotion: ${target.name} holds key ${files.encryption.keyId}.`;
  }

  rt.vmRef(vmId).send({ type: 'vm.migrated', hostId });
  if (running) {
    if (sourceId) rt.hostRef(sourceId).send({ type: 'host.vmStopped', vmId });
    rt.hostRef(hostId).send({ type: 'host.vmStarted', vmId });
  }
  const how = running ? (files.encryption ? 'encrypted vMotion' : 'vMotion') : 'cold migration';
  rt.log({
    eventTypeId: EVENT.vmMigrated,
    objectId: vmId,
    keyId: files.encryption?.keyId ?? null,
    message: `Migration of virtual machine ${vm.name} from ${source?.name ?? 'no host'} to ${target.name} completed (${how}).`,
  });
  return `VM ${vm.name} migrated to ${target.name} (${how}).${keyNote}`;
}
