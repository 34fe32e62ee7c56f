// Commands on a host's encrypted configuration: clearing its TPM (the host then stops at boot), keeping its recovery
// key (as `esxcli system settings encryption recovery list` shows it), recovering the configuration with it
// (`encryptionRecoveryKey=` at boot), reinstalling ESXi (nothing kept), and the attacker's copy of its boot disk.
// Their rules are in preconditions/hosts.ts; these check only what the view does not hold (the key's bytes).
import { WrongKeyError } from '@/lib/crypto/errors';
import { importConfigurationKey, parseRecoveryKey, recoveryKeyText } from '@/lib/crypto/host-configuration';
import { exportRawKey } from '@/lib/crypto/keys';
import { deleteKeysOf, getKey, putKey } from '@/lib/storage';
import { copyBootDisk } from '../keys/boot-disk-copy';
import { installConfiguration, recoverConfiguration, recoveryKeyBytes, wipeBootDisk } from '../keys/host-config';
import { forgetHostRam } from '../keys/host-keys';
import { keptRecoveryKeyRow, RECOVERY_KEYS_OWNER, tpmOwner } from '../keys/key-vault-ids';
import { EVENT } from '../session/lab-event-ids';
import type { LabRuntime } from '../session/lab-runtime';
import { bootHost, stopHost } from './host-commands';
import { refuse } from './lab-refusal';

/** What ESXi says at boot when the TPM no longer unseals its configuration (KB 312109's first message). */
export const CONFIG_LOCKED_PSOD = 'Unable to restore system configuration. A security violation was detected.';
/** What it says when the recovery key given does not open the configuration. */
export const RECOVERY_FAILED_PSOD = 'Unable to recover the system configuration.';

const lockedAdvice = (hostName: string) =>
  `Host ${hostName} cannot boot until its configuration is recovered with its recovery key (boot option encryptionRecoveryKey=), or ESXi is reinstalled (then it holds nothing).`;

/** esxcli's listing of the recovery key, as the running TPM host shows it. */
export async function recoveryKeyListing(rt: LabRuntime, hostId: string): Promise<string> {
  const host = rt.host(hostId);
  const key = recoveryKeyText(await recoveryKeyBytes(rt, hostId));
  const short = host.name.split('.')[0];
  return [
    `[root@${short}:~] esxcli system settings encryption recovery list`,
    'Recovery ID                             Key',
    '--------------------------------------  ---',
    `${host.configuration.recoveryId}  ${key}`,
  ].join('\n');
}

/** Clearing the TPM (in the firmware setup, so a running host restarts): its seeds are reset, and the host stops at boot. */
export async function clearTpmCommand(rt: LabRuntime, hostId: string): Promise<string> {
  const host = rt.host(hostId);
  if (host.power === 'on') await stopHost(rt, hostId);
  rt.hostRef(hostId).send({ type: 'host.tpmCleared' });
  await deleteKeysOf(rt.db, tpmOwner(hostId));
  rt.log({
    eventTypeId: EVENT.labTpmCleared,
    objectId: hostId,
    severity: 'error',
    message: `The TPM of host ${host.name} was cleared. At boot: “${CONFIG_LOCKED_PSOD}” ${lockedAdvice(host.name)}`,
  });
  return `TPM of ${host.name} cleared. The host stops at boot: “${CONFIG_LOCKED_PSOD}” ${lockedAdvice(host.name)}`;
}


/** The administrator lists the recovery key and stores it off the host (the lab records it as kept). */
export async function keepRecoveryKeyCommand(rt: LabRuntime, hostId: string): Promise<string> {
  const host = rt.host(hostId);
  const recoveryId = host.configuration.recoveryId!;
  const key = await importConfigurationKey(await recoveryKeyBytes(rt, hostId));
  await putKey(rt.db, { id: keptRecoveryKeyRow(hostId), owner: RECOVERY_KEYS_OWNER, key, meta: { hostId, recoveryId } });
  rt.hostRef(hostId).send({ type: 'host.recoveryKeyKept', recoveryId });
  rt.log({
    eventTypeId: EVENT.labRecoveryKeyKept,
    objectId: hostId,
    message: `The recovery key of host ${host.name} (recovery ID ${recoveryId}) was listed with esxcli system settings encryption recovery list and stored off the host.`,
  });
  return `Recovery key of ${host.name} kept (recovery ID ${recoveryId}). Keep it with the host's records, off the host: it is what brings the host back if its TPM is cleared or replaced.`;
}

/** The recovery key's bytes: the one typed, or the one the administrator kept. */
async function recoveryKeyToUse(rt: LabRuntime, hostId: string, typed: string | undefined): Promise<Uint8Array> {
  if (typed !== undefined) {
    const parsed = parseRecoveryKey(typed);
    if ('problem' in parsed) refuse('BAD_RECOVERY_KEY', parsed.problem);
    return parsed.raw;
  }
  const row = await getKey(rt.db, keptRecoveryKeyRow(hostId));
  if (!row) refuse('NO_RECOVERY_KEY', `No recovery key of host ${rt.host(hostId).name} was kept.`);
  return exportRawKey(row.key);
}

/**
 * Boots with `encryptionRecoveryKey=`: the configuration opens with the recovery key, the TPM's new seed seals its key
 * again (what `esxcli system settings encryption set --mode=TPM` and /sbin/auto-backup.sh make last), and the host
 * starts with its KDKs. A key that does not open it is refused and nothing changes.
 */
export async function recoverConfigurationCommand(rt: LabRuntime, hostId: string, typed: string | undefined): Promise<string> {
  const host = rt.host(hostId);
  const raw = await recoveryKeyToUse(rt, hostId, typed);
  try {
    await recoverConfiguration(rt, hostId, raw);
  } catch (error) {
    if (error instanceof WrongKeyError) {
      refuse('RECOVERY_KEY_WRONG', `“${RECOVERY_FAILED_PSOD}” This is not the recovery key of ${host.name}'s configuration (recovery ID ${host.configuration.recoveryId}). Nothing changed.`);
    }
    throw error;
  }
  rt.log({ eventTypeId: EVENT.labConfigurationRecovered, objectId: hostId, message: `Host ${host.name}: its configuration was recovered with its recovery key and sealed by its TPM again.` });
  const note = await bootHost(rt, hostId);
  return `Configuration of ${host.name} recovered with its recovery key; the TPM seals it again and the host booted. ${note}`;
}

/**
 * Reinstalling ESXi: the boot device wiped, a new configuration (a new recovery key), nothing in it; the VMs it ran
 * stop. vCenter sees a new host under the old name: it is disconnected until it is connected (or added) again, which
 * pushes the NKP's KDK anew. (A real reinstall also loses the host's VM registrations; the lab keeps them with the host.)
 */
export async function reinstallCommand(rt: LabRuntime, hostId: string): Promise<string> {
  const host = rt.host(hostId);
  if (host.power === 'on') await stopHost(rt, hostId);
  await wipeBootDisk(rt, hostId);
  await forgetHostRam(rt, hostId);
  rt.hostRef(hostId).send({ type: 'host.reinstalled', recoveryId: null });
  await installConfiguration(rt, hostId);
  const vcenterHasIt = rt.vcenterStatus() !== 'destroyed' && rt.vcenterRef().getSnapshot().context.hostIds.includes(hostId);
  if (vcenterHasIt && rt.host(hostId).connection === 'connected') rt.hostRef(hostId).send({ type: 'host.disconnected' });
  rt.log({
    eventTypeId: EVENT.labHostReinstalled,
    objectId: hostId,
    severity: 'warning',
    message: `ESXi was reinstalled on host ${host.name}: it holds no keys, its encrypted configuration is new (a new recovery key), and it has no encryption mode.`,
  });
  return (
    `ESXi reinstalled on ${host.name}: it holds nothing, its configuration is new (a new recovery key to keep)` +
    (vcenterHasIt ? '; vCenter lists it as disconnected: connect it again so vCenter pushes its keys.' : '; add it to a vCenter to give it keys again.')
  );
}

export async function copyBootDiskCommand(rt: LabRuntime, hostId: string, vmId: string): Promise<string> {
  const copy = await copyBootDisk(rt, hostId, vmId);
  rt.hostRef(hostId).send({ type: 'host.bootDiskCopied', copy });
  const host = rt.host(hostId);
  rt.log({
    eventTypeId: EVENT.labBootDiskCopied,
    objectId: hostId,
    severity: copy.decrypted ? 'error' : 'warning',
    message: `An attacker copied the boot disk of host ${host.name} and the folder of VM ${copy.vmName}. ${copy.outcome}`,
  });
  return copy.decrypted ? `Copied: ${copy.outcome} First file: ${copy.guestFile?.name}.` : `Copied: ${copy.outcome}`;
}
