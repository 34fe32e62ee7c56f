// NKP backup and restore as the Lab API offers them: the export takes its turn in the command queue; a restore opens
// its .p12 first (the password work: seconds for a file made with many iterations), so other commands do not wait
// behind it, then takes its turn.
import { exportBackup, openBackupFile, restoreBackup } from '../commands/nkp-backup';
import { failureOf } from '../commands/lab-refusal';
import type { CommandResult, Lab } from '../lab-types';
import { EVENT } from './lab-event-ids';
import type { LabRuntime } from './lab-runtime';

export type LabNkpBackup = Pick<Lab, 'exportNkpBackup' | 'restoreNkpFromBackup'>;

export function labNkpBackup(rt: LabRuntime, enqueue: <T>(work: () => Promise<T>) => Promise<T>): LabNkpBackup {
  return {
    exportNkpBackup: (providerId, password) =>
      enqueue(async () => {
        rt.currentCommand = null;
        return exportBackup(rt, providerId, password);
      }),
    restoreNkpFromBackup: async (p12, password, options) => {
      const opened = await openBackupFile(rt, p12, password, options);
      return enqueue(async (): Promise<CommandResult> => {
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
