// The key vault's damaged entries: named when used instead of failing deep inside WebCrypto.
import { describe, expect, it } from 'vitest';
import { openKeylabDb } from './db';
import { KeyVaultDamagedError } from './errors';
import { getKey, getKeys, listKeys, putKeys } from './key-vault';
import { closeAfterEach, newDek, uniqueDbName } from './test-support';

const track = closeAfterEach();

describe('the key vault', () => {
  it('names an entry that is no longer a key (edited storage) when it is used, and leaves it out of a sweep', async () => {
    const db = track(openKeylabDb(uniqueDbName('vault-damaged')));
    await putKeys(db, [{ id: 'good', owner: 'vcenter', key: await newDek() }]);
    await db.keyVault.put({ id: 'bad', owner: 'host:esx-01:ram', key: { not: 'a key' } as unknown as CryptoKey, createdAt: 0 });

    const error = await getKey(db, 'bad').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyVaultDamagedError);
    expect((error as Error).message).toMatch(/^The key bad held by host:esx-01:ram is damaged in this browser's storage/);
    await expect(getKeys(db, ['good', 'bad'])).rejects.toBeInstanceOf(KeyVaultDamagedError);
    expect((await listKeys(db)).map((row) => row.id)).toEqual(['good']);
  });
});
