// Saved labs and the key vault: snapshots round-trip as JSON; CryptoKeys, non-extractable ones included, survive.
import { afterEach, describe, expect, it } from 'vitest';
import { openKeylabDb, type KeylabDb } from './db';
import { deleteKey, deleteKeysOf, getKey, listKeys, putKey, putKeys } from './key-vault';
import { deleteLab, listLabs, loadLab, saveLab } from './lab-store';
import { StorageFullError } from './errors';
import { failingDb, quotaError, uniqueDbName } from './test-support';

const opened: KeylabDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('saved labs', () => {
  it('saves, loads, lists and deletes a snapshot as JSON data', async () => {
    const name = uniqueDbName('labs');
    const db = openKeylabDb(name);
    const snapshot = { status: 'active', value: { vcenter: 'running' }, context: { deadline: 60_000, hosts: ['esx-01'] } };
    await saveLab(db, 'default', snapshot);
    await saveLab(db, 'other', { value: 'x', dropped: undefined });
    db.close();
    const again = openKeylabDb(name);
    opened.push(again);
    expect(await loadLab(again, 'default')).toEqual(snapshot);
    expect(await loadLab(again, 'other')).toEqual({ value: 'x' });
    expect(await loadLab(again, 'missing')).toBeUndefined();
    expect((await listLabs(again)).map((lab) => lab.labId).sort()).toEqual(['default', 'other']);
    await deleteLab(again, 'default');
    expect(await loadLab(again, 'default')).toBeUndefined();
  });

  it('refuses something that is not JSON data', async () => {
    const db = openKeylabDb(uniqueDbName('labs-bad'));
    opened.push(db);
    await expect(saveLab(db, 'x', () => 1)).rejects.toBeInstanceOf(TypeError);
  });
});

describe('key vault', () => {
  it('keeps non-extractable CryptoKeys usable across reopening, by owner', async () => {
    const name = uniqueDbName('vault');
    const db = openKeylabDb(name);
    const kdk = (await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])) as CryptoKey;
    const kek = (await crypto.subtle.generateKey({ name: 'AES-KW', length: 256 }, false, ['wrapKey', 'unwrapKey'])) as CryptoKey;
    await putKey(db, { id: 'kdk-1', owner: 'vcenter', key: kdk, meta: { provider: 'nkp-1' } });
    await putKey(db, { id: 'kek-1', owner: 'kms:kms-a', key: kek });
    await putKey(db, { id: 'kek-2', owner: 'kms:kms-a', key: kek });
    const iv = new Uint8Array(12);
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, kdk, new TextEncoder().encode('hello'));
    db.close();

    const again = openKeylabDb(name);
    opened.push(again);
    const stored = (await getKey(again, 'kdk-1'))!;
    expect(stored.owner).toBe('vcenter');
    expect(stored.meta).toEqual({ provider: 'nkp-1' });
    expect(stored.key.extractable).toBe(false);
    const opened2 = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, stored.key, sealed);
    expect(new TextDecoder().decode(opened2)).toBe('hello');
    expect((await listKeys(again, 'kms:kms-a')).map((k) => k.id).sort()).toEqual(['kek-1', 'kek-2']);
    expect(await listKeys(again)).toHaveLength(3);
    expect(await deleteKeysOf(again, 'kms:kms-a')).toBe(2);
    await deleteKey(again, 'kdk-1');
    expect(await listKeys(again)).toEqual([]);
  });

  it('stores many keys in one go, usable after reopening; a failed batch stores none', async () => {
    const name = uniqueDbName('vault-many');
    const db = openKeylabDb(name);
    const keys = await Promise.all(
      Array.from({ length: 5 }, async () =>
        (await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])) as CryptoKey,
      ),
    );
    await putKeys(db, keys.map((key, i) => ({ id: `ram:esx-01:kek-${i}`, owner: 'ram:esx-01', key, meta: { i } })));
    db.close();

    const again = failingDb(name, { table: 'keyVault', failAfter: 0, error: quotaError });
    opened.push(again);
    const rows = await listKeys(again, 'ram:esx-01');
    expect(rows.map((row) => row.meta)).toEqual([0, 1, 2, 3, 4].map((i) => ({ i })));
    const iv = new Uint8Array(12);
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, keys[3]!, new Uint8Array([7]));
    const stored = (await getKey(again, 'ram:esx-01:kek-3'))!;
    expect(new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, stored.key, sealed))).toEqual(new Uint8Array([7]));

    await expect(
      putKeys(again, [
        { id: 'ram:esx-02:kek-0', owner: 'ram:esx-02', key: keys[0]! },
        { id: 'ram:esx-02:kek-1', owner: 'ram:esx-02', key: keys[1]! },
      ]),
    ).rejects.toBeInstanceOf(StorageFullError);
    expect(await listKeys(again, 'ram:esx-02')).toEqual([]);
  });
});
