// Who holds which key in the key vault: one naming scheme, so a reboot or a TPM clear can forget exactly one holder.
export const kmsOwner = (kmsId: string) => `kms:${kmsId}`;
export const kmsKeyRow = (kmsId: string, keyId: string) => `kms:${kmsId}:${keyId}`;

/** vCenter's own keys (the NKP KDKs): all lost with vCenter's database. */
export const VCENTER_OWNER = 'vcenter';
export const vcenterKdkRow = (providerId: string) => `vcenter:kdk:${providerId}`;

export const hostRamOwner = (hostId: string) => `host:${hostId}:ram`;
export const hostRamRow = (hostId: string, keyId: string) => `host:${hostId}:ram:${keyId}`;

/** The TPM's own sealing key (non-extractable): what seals the host's configuration key. Cleared with the TPM. */
export const tpmOwner = (hostId: string) => `tpm:${hostId}`;
export const tpmSealingKeyRow = (hostId: string) => `tpm:${hostId}:seal`;
/** Only in labs saved before hosts had an encrypted configuration: a KDK sealed straight in the TPM (host-config-upgrade.ts). */
export const tpmRow = (hostId: string, keyId: string) => `tpm:${hostId}:${keyId}`;

/** The recovery keys the administrator recorded, off the hosts (a password safe): one per host. */
export const RECOVERY_KEYS_OWNER = 'admin:recovery-keys';
export const keptRecoveryKeyRow = (hostId: string) => `admin:recovery-keys:${hostId}`;

/** A host's boot device, stored as a "datastore" of its own in the files table: the encrypted configuration and its key file. */
export const bootDiskStore = (hostId: string) => `bootdisk:${hostId}`;
