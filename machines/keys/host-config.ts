// A host's encrypted configuration on its boot device, as ESXi 7.0 U2 and later keeps it: the archive (the KDKs it
// was given, AES-256-GCM) and its key file, sealed by the TPM where there is one, the key itself where there is none.
// So a host keeps its KDKs across reboots with or without a TPM; what the TPM adds is that a copy of the boot disk
// does not give them away (boot-disk-copy.ts), and that a cleared TPM locks the host until the recovery key is given.
//
// The boot device is stored as files of a store of its own (`bootdisk:<host>` in the files table): bootbank/state.tgz
// and bootbank/encryption.info, the names ESXi's boot bank uses (their contents are the lab's own format). The TPM's
// sealing key sits in the key vault (owner `tpm:<host>`), non-extractable, and never leaves the host.
import { bytesToBase64, base64ToBytes } from '@/lib/base64';
import { derivationKdkFromRaw } from '@/lib/crypto/derive';
import {
  importConfigurationKey,
  newConfigurationKey,
  newTpmSealingKey,
  openConfiguration,
  sealConfiguration,
  sealToTpm,
  unsealFromTpm,
  type ConfigurationSecret,
} from '@/lib/crypto/host-configuration';
import { exportRawKey } from '@/lib/crypto/keys';
import { deleteDatastoreFiles, deleteKeysOf, getKey, putKey, readTextFile, writeNewFolders, type KeylabDb } from '@/lib/storage';
import type { HostKeyRecord } from '../actors/host.machine';
import type { LabRuntime } from '../session/lab-runtime';
import { putRamKeys } from './host-keys';
import { bootDiskStore, tpmOwner, tpmRow, tpmSealingKeyRow } from './key-vault-ids';

export const ARCHIVE_PATH = 'bootbank/state.tgz';
export const KEY_FILE_PATH = 'bootbank/encryption.info';

/** bootbank/encryption.info: where the configuration key is. */
export type KeyFile =
  | { mode: 'TPM'; sealedKey: string; recoveryId: string }
  /** No TPM: the key lies on the boot device (ESXi derives it from what is stored there; the lab stores it as is). */
  | { mode: 'NONE'; configurationKey: string };

export interface BootDisk {
  archive: string;
  keyFile: KeyFile;
}

/** The host cannot open its configuration: its TPM no longer unseals the key (cleared or replaced). */
export class ConfigurationLocked extends Error {}

/** What is on a host's boot device now (what a copy of it holds), or null before ESXi was installed. */
export async function readBootDisk(db: KeylabDb, hostId: string): Promise<BootDisk | null> {
  const store = bootDiskStore(hostId);
  const [archive, keyFile] = await Promise.all([readTextFile(db, store, ARCHIVE_PATH), readTextFile(db, store, KEY_FILE_PATH)]);
  if (archive === undefined || keyFile === undefined) return null;
  return { archive, keyFile: JSON.parse(keyFile) as KeyFile };
}

async function tpmSealingKey(rt: LabRuntime, hostId: string): Promise<CryptoKey | undefined> {
  return (await getKey(rt.db, tpmSealingKeyRow(hostId)))?.key;
}

/** The TPM's key, made from its seed the first time it is asked to seal (after a clear it has a new seed). */
async function tpmSealingKeyOrNew(rt: LabRuntime, hostId: string): Promise<CryptoKey> {
  const held = await tpmSealingKey(rt, hostId);
  if (held) return held;
  const key = await newTpmSealingKey();
  await putKey(rt.db, { id: tpmSealingKeyRow(hostId), owner: tpmOwner(hostId), key, meta: { hostId, role: 'TPM sealing key' } });
  return key;
}

/** The archive and its key file, as rows of the host's boot-disk store. */
async function bootDiskRows(rt: LabRuntime, hostId: string, configKey: CryptoKey, secrets: readonly ConfigurationSecret[], recoveryId: string | null) {
  const archive = await sealConfiguration(secrets, configKey, hostId);
  const keyFile: KeyFile = recoveryId
    ? { mode: 'TPM', sealedKey: bytesToBase64(await sealToTpm(configKey, await tpmSealingKeyOrNew(rt, hostId))), recoveryId }
    : { mode: 'NONE', configurationKey: bytesToBase64(await exportRawKey(configKey)) };
  const store = bootDiskStore(hostId);
  return [
    { datastoreId: store, path: ARCHIVE_PATH, text: archive },
    { datastoreId: store, path: KEY_FILE_PATH, text: JSON.stringify(keyFile, null, 2) },
  ];
}

/** Writes the archive and its key file together (one transaction: never an archive without its key). */
async function writeBootDisk(rt: LabRuntime, hostId: string, configKey: CryptoKey, secrets: readonly ConfigurationSecret[], recoveryId: string | null): Promise<void> {
  await writeNewFolders(rt.db, { disks: [], files: await bootDiskRows(rt, hostId, configKey, secrets, recoveryId) });
}

const recordOf = (s: ConfigurationSecret): HostKeyRecord => ({ keyId: s.keyId, level: 'KDK', providerId: s.providerId, fingerprint: s.fingerprint });

/**
 * New, empty configurations (ESXi installed), all written in one transaction: a new configuration key each and, on a
 * TPM host, a new recovery key ID. `secrets` only for a lab saved before hosts had one (host-config-upgrade.ts), whose
 * KDKs move into it; `legacy` lists the KDKs that stay sealed straight in its TPM.
 */
export async function installConfigurations(
  rt: LabRuntime,
  installs: readonly { hostId: string; secrets?: readonly ConfigurationSecret[]; legacy?: HostKeyRecord[] }[],
): Promise<void> {
  const written = await Promise.all(
    installs.map(async ({ hostId, secrets = [], legacy = [] }) => {
      const recoveryId = rt.host(hostId).hasTpm ? `{${rt.newId().toUpperCase()}}` : null;
      const rows = await bootDiskRows(rt, hostId, await newConfigurationKey(), secrets, recoveryId);
      return { hostId, rows, recoveryId, keys: [...secrets.map(recordOf), ...legacy] };
    }),
  );
  await writeNewFolders(rt.db, { disks: [], files: written.flatMap((w) => w.rows) });
  for (const w of written) rt.hostRef(w.hostId).send({ type: 'host.configurationWritten', keys: w.keys, recoveryId: w.recoveryId });
}

export function installConfiguration(rt: LabRuntime, hostId: string): Promise<void> {
  return installConfigurations(rt, [{ hostId }]);
}

/** The configuration key as the running host gets it: unsealed by its TPM, or read from its boot disk. */
export async function configurationKey(rt: LabRuntime, hostId: string, disk?: BootDisk): Promise<CryptoKey> {
  const boot = disk ?? (await readBootDisk(rt.db, hostId));
  if (!boot) throw new ConfigurationLocked(`Host ${rt.host(hostId).name} has no configuration on its boot device.`);
  if (boot.keyFile.mode === 'NONE') return importConfigurationKey(base64ToBytes(boot.keyFile.configurationKey) ?? new Uint8Array());
  const tpmKey = await tpmSealingKey(rt, hostId);
  if (!tpmKey) throw new ConfigurationLocked(`The TPM of host ${rt.host(hostId).name} no longer holds the key that sealed its configuration.`);
  try {
    return await unsealFromTpm(base64ToBytes(boot.keyFile.sealedKey) ?? new Uint8Array(), tpmKey);
  } catch {
    throw new ConfigurationLocked(`The TPM of host ${rt.host(hostId).name} does not unseal its configuration key.`);
  }
}

/** Keeps a KDK in the host's configuration (vCenter pushed it): from now on the host reads it back at every boot. */
export async function keepKdkInConfiguration(rt: LabRuntime, hostId: string, record: HostKeyRecord, kdk: Uint8Array): Promise<void> {
  const disk = await readBootDisk(rt.db, hostId);
  if (!disk) return;
  const key = await configurationKey(rt, hostId, disk);
  const secrets = (await openConfiguration(disk.archive, key, hostId)).filter((s) => s.keyId !== record.keyId);
  secrets.push({ keyId: record.keyId, providerId: record.providerId, fingerprint: record.fingerprint, kdk });
  const host = rt.host(hostId);
  await writeBootDisk(rt, hostId, key, secrets, host.configuration.recoveryId);
  const legacy = host.configuration.keys.filter((k) => k.legacyTpm && k.keyId !== record.keyId);
  rt.hostRef(hostId).send({ type: 'host.configurationWritten', keys: [...secrets.map(recordOf), ...legacy], recoveryId: host.configuration.recoveryId });
}

/** At boot: the configuration opened and its KDKs back in RAM (derive-only copies), vCenter or not. */
export async function loadConfigurationIntoRam(rt: LabRuntime, hostId: string): Promise<HostKeyRecord[]> {
  const disk = await readBootDisk(rt.db, hostId);
  if (!disk) return [];
  const secrets = await openConfiguration(disk.archive, await configurationKey(rt, hostId, disk), hostId);
  const entries = await Promise.all(
    secrets.map(async (s) => ({ hostId, keyId: s.keyId, level: 'KDK' as const, providerId: s.providerId, fingerprint: s.fingerprint, key: await derivationKdkFromRaw(s.kdk) })),
  );
  // A lab saved before the configuration existed may keep a KDK sealed straight in the TPM (never in the archive).
  const host = rt.host(hostId);
  const legacy = host.configuration.keys.filter((k) => k.legacyTpm);
  for (const k of legacy) {
    const row = await getKey(rt.db, tpmRow(hostId, k.keyId));
    if (row) entries.push({ hostId, keyId: k.keyId, level: 'KDK', providerId: k.providerId, fingerprint: k.fingerprint, key: row.key });
  }
  // The boot disk is the truth (a tab closed between its write and the lab's save left the record behind).
  rt.hostRef(hostId).send({ type: 'host.configurationWritten', keys: [...secrets.map(recordOf), ...legacy], recoveryId: host.configuration.recoveryId });
  return putRamKeys(rt, entries);
}

/**
 * `encryptionRecoveryKey=` at boot: the configuration opened with the recovery key (the configuration key), then sealed
 * again by the TPM's new seed. A wrong key fails GCM's check: WrongKeyError, and nothing changes.
 */
export async function recoverConfiguration(rt: LabRuntime, hostId: string, recoveryKey: Uint8Array): Promise<void> {
  const disk = await readBootDisk(rt.db, hostId);
  if (!disk) throw new ConfigurationLocked(`Host ${rt.host(hostId).name} has no configuration on its boot device.`);
  const key = await importConfigurationKey(recoveryKey);
  const secrets = await openConfiguration(disk.archive, key, hostId);
  const host = rt.host(hostId);
  await deleteKeysOf(rt.db, tpmOwner(hostId));
  await writeBootDisk(rt, hostId, key, secrets, host.configuration.recoveryId);
  rt.hostRef(hostId).send({ type: 'host.configurationWritten', keys: secrets.map(recordOf), recoveryId: host.configuration.recoveryId });
  rt.hostRef(hostId).send({ type: 'host.configurationRecovered' });
}

/** The recovery key's bytes (the configuration key), unsealed by the running host's TPM, for esxcli's listing. */
export async function recoveryKeyBytes(rt: LabRuntime, hostId: string): Promise<Uint8Array> {
  return exportRawKey(await configurationKey(rt, hostId));
}

/** A reinstall wipes the boot device and takes the TPM anew: nothing of the old configuration is left. */
export async function wipeBootDisk(rt: LabRuntime, hostId: string): Promise<void> {
  await deleteDatastoreFiles(rt.db, bootDiskStore(hostId));
  await deleteKeysOf(rt.db, tpmOwner(hostId));
}
