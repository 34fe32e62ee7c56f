// The vault writer: concurrent puts share one transaction, and a full quota is the storage layer's typed error.
import { describe, expect, it } from 'vitest';
import { StorageFullError, listKeys } from '@/lib/storage';
import { failingDb, newDek, quotaError, uniqueDbName } from '@/lib/storage/test-support';
import { KeylabDb } from '@/lib/storage';
import { VaultWriter } from './vault-writer';

describe('VaultWriter', () => {
  it('writes puts made together in one transaction', async () => {
    const db = new KeylabDb(uniqueDbName('vault'));
    let transactions = 0;
    db.use({
      stack: 'dbcore',
      name: 'count',
      create: (down) => ({ ...down, transaction: (...args) => (transactions++, down.transaction(...args)) }),
    });
    const writer = new VaultWriter(db);
    const key = await newDek();
    await Promise.all([writer.put([{ id: 'a', owner: 'kms:x', key }]), writer.put([{ id: 'b', owner: 'kms:y', key }])]);
    expect((await listKeys(db)).map((row) => row.id).sort()).toEqual(['a', 'b']);
    expect(transactions).toBe(2); // the write, and the read above
  });

  it('reports a full quota as StorageFullError, with nothing of the batch written', async () => {
    const name = uniqueDbName('vault-full');
    const writer = new VaultWriter(failingDb(name, { table: 'keyVault', failAfter: 0, error: quotaError }));
    const key = await newDek();
    await expect(writer.put([{ id: 'a', owner: 'kms:x', key }])).rejects.toBeInstanceOf(StorageFullError);
    expect(await listKeys(new KeylabDb(name))).toEqual([]);
  });
});
