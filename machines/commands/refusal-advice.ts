// What to do next, for refusals that more than one rule gives (a handler and its precondition, or several handlers):
// one wording each, with no imports, so the pure preconditions and the UI can share it.

/** After "Key provider NAME requires backup.": an NKP is usable only once backed up. */
export const backUpFirst = (providerName: string) => `Back it up first (Key Providers > Back up ${providerName}…): until then vCenter cannot use it.`;

/** When vCenter lacks an NKP's KDK: only its backup brings it back under the same name and key ID. */
export const restoreNkp = (providerName: string) => `Restore ${providerName} from its backup (Key Providers > Add > Restore from backup, with its .p12 and password).`;

/** After a key provider that vCenter does not have. */
export const chooseProvider = 'Choose one listed under Key Providers, or add (or restore) it there.';

/**
 * After "TPM2 Device is Required" (the wording of the host's log; the lab shows it with the task): the hosts that have
 * a TPM, or the same provider (the same KDK, so every VM keeps its key) restored from its .p12 without the TPM-only
 * option. A new NKP would be a new KDK, which opens nothing encrypted so far.
 */
export function tpmRequiredNext(providerName: string, hostsWithTpm: readonly string[]): string {
  const option =
    `restore ${providerName} from its .p12 without “Use key provider only with TPM protected ESXi hosts” ` +
    `(Key Providers: remove it, then Add > Restore from backup and untick the option; the same KDK, so every VM keeps its key)`;
  return hostsWithTpm.length ? `Use a host with TPM 2.0 (${hostsWithTpm.join(', ')}), or ${option}.` : `No host of this lab has TPM 2.0: ${option}.`;
}
