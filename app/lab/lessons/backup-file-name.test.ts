// The terminal command gets the backup's real file name once there is a backup of that provider.
import { describe, expect, it } from 'vitest';
import { withBackupFileName } from './backup-file-name';

const file = (fileName: string, exportedAt: number) => ({ providerId: 'NKP-1', keyId: 'k', fileName, exportedAt, passwordStrength: 'strong' as const });
const COMMAND = 'openssl pkcs12 -info -nodes -in NKP-1_<key-id>.p12';

describe('the backup file name in a terminal command', () => {
  it('stays a placeholder until the provider has a backup', () => {
    expect(withBackupFileName(COMMAND, { backupFiles: [] })).toBe(COMMAND);
    expect(withBackupFileName(COMMAND, {})).toBe(COMMAND);
  });

  it('names the newest backup of that provider', () => {
    const view = { backupFiles: [file('NKP-1_aaaa.p12', 1), file('NKP-1_bbbb.p12', 9), file('NKP-10_cccc.p12', 20)] };
    expect(withBackupFileName(COMMAND, view)).toBe('openssl pkcs12 -info -nodes -in NKP-1_bbbb.p12');
  });

  it('names the newest backup of another provider when the learner named theirs differently', () => {
    expect(withBackupFileName(COMMAND, { backupFiles: [file('My-NKP_1111.p12', 5)] })).toBe('openssl pkcs12 -info -nodes -in My-NKP_1111.p12');
  });
});
