// What a lesson check may know of a backup's password: the lab's rating of it (lib/password, the meter's estimator),
// recorded when the backup was made. The password itself is never in the view.
import type { BackupFileView, LabView } from '@/machines/lab-types';
import { misconception } from './checks';
import type { CheckResult } from './lesson-types';

/** The newest backup file of the provider with this KDK key ID, if any. */
export function newestBackupOf(view: LabView, keyId: string): BackupFileView | undefined {
  return (view.backupFiles ?? []).filter((b) => b.keyId === keyId).sort((a, b) => b.exportedAt - a.exportedAt)[0];
}

/**
 * A misconception when the newest backup of the provider has a password the meter calls weak or fair; null when it is
 * strong, has no password (another check's business), or was rated before the lab rated passwords.
 */
export function weakBackupPassword(view: LabView, provider: { name: string; keyId: string }): CheckResult | null {
  const rated = newestBackupOf(view, provider.keyId)?.passwordStrength;
  if (rated !== 'weak' && rated !== 'fair') return null;
  return misconception(
    'weak-backup-password',
    `The backup of ${provider.name} is protected by a password the strength meter rates ${rated === 'weak' ? 'Weak' : 'Fair'}. Whoever copies the .p12 can try passwords ` +
      'offline, as fast as their hardware allows, for as long as they like: mixing in digits and symbols does not stop that, length does. ' +
      `Back ${provider.name} up again with a passphrase of four or more unrelated words (the meter says Strong).`,
  );
}
