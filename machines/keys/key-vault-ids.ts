// Who holds which key in the key vault: one naming scheme, so a reboot or a TPM clear can forget exactly one holder.
export const kmsOwner = (kmsId: string) => `kms:${kmsId}`;
export const kmsKeyRow = (kmsId: string, keyId: string) => `kms:${kmsId}:${keyId}`;

/** vCenter's own keys (the NKP KDKs): all lost with vCenter's database. */
export const VCENTER_OWNER = 'vcenter';
export const vcenterKdkRow = (providerId: string) => `vcenter:kdk:${providerId}`;

export const hostRamOwner = (hostId: string) => `host:${hostId}:ram`;
export const hostRamRow = (hostId: string, keyId: string) => `host:${hostId}:ram:${keyId}`;

export const tpmOwner = (hostId: string) => `tpm:${hostId}`;
export const tpmRow = (hostId: string, keyId: string) => `tpm:${hostId}:${keyId}`;
