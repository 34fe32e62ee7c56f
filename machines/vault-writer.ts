// Coalesces key-vault writes made close together (many VMs encrypted or re-keyed at once) into one IndexedDB
// transaction: each put still resolves only once its row is committed.
import type { KeylabDb, KeyVaultRow } from '@/lib/storage';

export class VaultWriter {
  private pending: KeyVaultRow[] = [];
  private batch: Promise<void> | null = null;

  constructor(private readonly db: KeylabDb) {}

  put(rows: Omit<KeyVaultRow, 'createdAt'>[]): Promise<void> {
    const createdAt = Date.now();
    this.pending.push(...rows.map((row) => ({ ...row, createdAt })));
    if (!this.batch) {
      // Rows queued by the other work in flight until the next macrotask join this transaction.
      this.batch = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(async () => {
        const rowsToWrite = this.pending;
        this.pending = [];
        this.batch = null;
        await this.db.keyVault.bulkPut(rowsToWrite);
      });
    }
    return this.batch;
  }
}
