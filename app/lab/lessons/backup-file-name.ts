// A step's terminal command names the backup as "NKP-1_<key-id>.p12" until there is one: once the lab has made that
// provider's backup, the command shows the real file name, so it can be copied and run as it stands (the newest backup
// of any provider when the learner named theirs differently).
import type { LabView } from '@/machines/lab-types';

const PLACEHOLDER = /([A-Za-z0-9._-]+)_<key-id>\.p12/g;

export function withBackupFileName(text: string, view: Pick<LabView, 'backupFiles'>): string {
  const files = view.backupFiles ?? [];
  return text.replace(PLACEHOLDER, (placeholder, provider: string) => {
    const newestFirst = [...files].sort((a, b) => b.exportedAt - a.exportedAt);
    return (newestFirst.find((f) => f.fileName.startsWith(`${provider}_`)) ?? newestFirst[0])?.fileName ?? placeholder;
  });
}
