// The attacker's view: a copy of a host's boot disk and of one VM's folder on the datastore, worked on elsewhere. From
// a host without a TPM the configuration key lies on the copied disk: the archive opens, the KDKs come out, and the
// VM's KEK is derived from a KDK and the key ID in its .vmx, its DEK unwrapped, its guest files read. From a TPM host
// the copy holds the configuration key only sealed, and the TPM that unseals it stayed in the host: another TPM (the
// attacker's machine) is refused by the seal's integrity check, for real.
import { base64ToBytes } from '@/lib/base64';
import { deriveKek, derivationKdkFromRaw } from '@/lib/crypto/derive';
import { importConfigurationKey, newTpmSealingKey, openConfiguration, unsealFromTpm, type ConfigurationSecret } from '@/lib/crypto/host-configuration';
import { listGuestFiles, readGuestFile, readVmFiles, unwrapVmDek, type VmFiles } from '../data-plane';
import type { BootDiskCopyView } from '../lab-types';
import type { LabRuntime } from '../session/lab-runtime';
import { readBootDisk } from './host-config';

const EXCERPT_CHARS = 240;

async function secretsFromCopy(rt: LabRuntime, hostId: string): Promise<{ secrets: ConfigurationSecret[]; why: string }> {
  const name = rt.host(hostId).name;
  const disk = await readBootDisk(rt.db, hostId);
  if (!disk) return { secrets: [], why: `The boot disk of ${name} holds no ESXi configuration.` };
  if (disk.keyFile.mode === 'NONE') {
    const key = await importConfigurationKey(base64ToBytes(disk.keyFile.configurationKey) ?? new Uint8Array());
    const secrets = await openConfiguration(disk.archive, key, hostId);
    return { secrets, why: `${name} has no TPM: the configuration key lies on its boot disk beside the configuration, so the copy opens it.` };
  }
  try {
    // The attacker's own machine has a TPM too, with other seeds: it cannot unseal what this host's TPM sealed.
    await unsealFromTpm(base64ToBytes(disk.keyFile.sealedKey) ?? new Uint8Array(), await newTpmSealingKey());
  } catch {
    return {
      secrets: [],
      why: `The configuration key of ${name} is sealed by its TPM 2.0, which stayed in the host: the copy holds it only sealed, and another machine's TPM refuses to unseal it. The configuration stays encrypted.`,
    };
  }
  return { secrets: [], why: 'Unexpected: another TPM unsealed the key.' };
}

async function readWithKdk(rt: LabRuntime, files: VmFiles, secret: ConfigurationSecret) {
  const enc = files.encryption!;
  const kek = await deriveKek(await derivationKdkFromRaw(secret.kdk), enc.keyId);
  const dek = await unwrapVmDek(files, kek);
  const names = await listGuestFiles(rt.db, files, dek);
  const first = names[0];
  if (!first) return { name: '(the disk holds no files)', excerpt: '' };
  const text = await readGuestFile(rt.db, files, dek, first.name);
  return { name: first.name, excerpt: text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text };
}

/** Copies the host's boot disk and the VM's folder, and tries to read the VM's disk with what the copies hold. */
export async function copyBootDisk(rt: LabRuntime, hostId: string, vmId: string): Promise<BootDiskCopyView> {
  const vm = rt.vm(vmId);
  const files = await readVmFiles(rt.db, vm.datastoreId, vm.folder);
  const { secrets, why } = await secretsFromCopy(rt, hostId);
  const base = { at: rt.clock.now(), vmId, vmName: files.name, recoveredKdkIds: secrets.map((s) => s.keyId) };
  const enc = files.encryption;
  if (!enc) return { ...base, decrypted: false, outcome: `${why} VM ${files.name}'s disk is not encrypted: its copy is readable as it is.`, guestFile: null };
  if (secrets.length === 0) return { ...base, decrypted: false, outcome: `${why} Without a KDK the copy of ${files.name}'s disk is ciphertext only.`, guestFile: null };
  const match = enc.kdkKeyId ? secrets.find((s) => s.keyId === enc.kdkKeyId) : undefined;
  if (!match) {
    const whose = enc.kdkKeyId
      ? `its key comes from the KDK ${enc.kdkKeyId}, which this host's configuration does not hold`
      : `its key comes from the standard key provider ${enc.providerId}: a host keeps such keys only in memory (its key cache), never on its boot disk`;
    return { ...base, decrypted: false, outcome: `${why} ${secrets.length} KDK(s) recovered, but none opens ${files.name}: ${whose}.`, guestFile: null };
  }
  const guestFile = await readWithKdk(rt, files, match);
  return {
    ...base,
    decrypted: true,
    outcome: `${why} The KDK of ${match.providerId} (${match.keyId}) came out of it; with the key ID in ${files.name}'s .vmx it derives the KEK, which unwraps the DEK: the copied disk decrypts.`,
    guestFile,
  };
}
