// Coalesces key-vault writes made close together (many VMs encrypted or re-keyed at once) into one IndexedDB
// transaction: each put still resolves only once its row is committed. Written through lib/storage's putKeys, so a
// full quota surfaces as StorageFullError.
import { putKeys, type KeylabDb, type StoredKey } from '@/lib/storage';

export class VaultWriter {
  private pending: StoredKey[] = [];
  private batch: Promise<void> | null = null;

  constructor(private readonly db: KeylabDb) {}

  put(rows: readonly StoredKey[]): Promise<void> {
    this.pending.push(...rows);
    if (!this.batch) {
      // Rows queued by the other work in flight until the next macrotask join this transaction.
      this.batch = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(async () => {
        const rowsToWrite = this.pending;
        this.pending = [];
        this.batch = null;
        await putKeys(this.db, rowsToWrite);
      });
    }
    return this.batch;
  }
}
