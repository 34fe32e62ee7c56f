// NKP backup and restore as the Lab API offers them: the export takes its turn in the command queue; a restore opens
// its .p12 first (the password work: seconds for a file made with many iterations), so other commands do not wait
// behind it, then takes its turn. Both are journaled: the backup by the file's name (never the file or its password),
// the restore by which of this lab's backups it was, if it was one.
import { keyFingerprint } from '@/lib/crypto/keys';
import { exportBackup, openBackupFile, rateBackupPassword, restoreBackup, type OpenedBackup } from '../commands/nkp-backup';
import { failureOf } from '../commands/lab-refusal';
import type { CommandResult, Lab } from '../lab-types';
import { EVENT } from './lab-event-ids';
import type { LabRuntime } from './lab-runtime';
import type { Journaled } from './running-lab';

export type LabNkpBackup = Pick<Lab, 'exportNkpBackup' | 'restoreNkpFromBackup'>;

/** The name of this lab's backup the opened file is (the newest of the same key), or null for a file from elsewhere. */
async function backupFileNameOf(rt: LabRuntime, opened: OpenedBackup): Promise<string | null> {
  if (!('contents' in opened)) return null;
  const fingerprint = await keyFingerprint(opened.contents.kdk);
  return rt.root.getSnapshot().context.backups.findLast((b) => b.fingerprint === fingerprint)?.fileName ?? null;
}

export function labNkpBackup(rt: LabRuntime, journaled: Journaled): LabNkpBackup {
  return {
    exportNkpBackup: async (providerId, password, options) => {
      // The journal keeps the password's rating, never the password: a replay makes a file of its own and says how
      // the learner's password was rated, so the lessons' checks see the same.
      const passwordStrength = options?.passwordStrength ?? (await rateBackupPassword(rt, providerId, password));
      return journaled(
        { kind: 'nkpBackup', providerId, passwordStrength },
        async () => {
          rt.currentCommand = null;
          return exportBackup(rt, providerId, password, passwordStrength);
        },
        (file) => ({ ok: true, message: file.fileName }),
      );
    },
    restoreNkpFromBackup: async (p12, password, options) => {
      const opened = await openBackupFile(rt, p12, password, options);
      const fileName = await backupFileNameOf(rt, opened);
      return journaled({ kind: 'nkpRestore', fileName }, async (): Promise<CommandResult> => {
        try {
          return { ok: true, message: await restoreBackup(rt, opened, options?.tpmOnly) };
        } catch (error) {
          const result = failureOf(error);
          rt.log({ eventTypeId: EVENT.taskFailed, severity: 'warning', message: `Restore from backup failed: ${result.reason}` });
          return result;
        }
      });
    },
  };
}
