// The world stamp: any write to a datastore file or a key changes it, in the writer's own transaction, so a lab saved
// with nothing running knows on open whether anything was written after it; anything else leaves it as it was.
import { describe, expect, it } from 'vitest';
import { openKeylabDb, type KeylabDb } from './db';
import { deleteTextFile, writeTextFile } from './datastore-files';
import { putKey } from './key-vault';
import { loadLabRecord, saveLab } from './lab-store';
import { closeAfterEach, newDek, uniqueDbName } from './test-support';
import { readWorldStamp, stampedWritesIssued } from './world-stamp';

const track = closeAfterEach();

function newDb(label: string): KeylabDb {
  return track(openKeylabDb(uniqueDbName(label)));
}

const stampOf = (db: KeylabDb) => db.transaction('r', db.worldStamps, () => readWorldStamp(db));

/** Saves a snapshot taken with nothing running, as the lab's saver does. */
function quietSave(db: KeylabDb, labId = 'lab') {
  return saveLab(db, labId, { status: 'active' }, stampedWritesIssued(db));
}

describe('world stamp', () => {
  it('changes with every write to a datastore file or a key, however it is written', async () => {
    const db = newDb('stamp-writes');
    await writeTextFile(db, 'ds-1', 'vm-1/vm-1.vmx', 'displayName = "vm-1"\n');
    const seen = [await stampOf(db)];
    await putKey(db, { id: 'kms:kms-a:k1', owner: 'kms:kms-a', key: await newDek() });
    seen.push(await stampOf(db));
    // A row written straight through Dexie, as no lab code does, is stamped all the same.
    await db.datastoreFiles.delete(['ds-1', 'vm-1/vm-1.vmx']);
    seen.push(await stampOf(db));
    await db.keyVault.clear();
    seen.push(await stampOf(db));
    expect(seen.every((stamp) => typeof stamp === 'number')).toBe(true);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('is left as it was by reads, by saves of the lab, and by a write whose transaction rolled back', async () => {
    const db = newDb('stamp-still');
    await writeTextFile(db, 'ds-1', 'a.txt', 'a');
    const before = await stampOf(db);
    await db.datastoreFiles.toArray();
    await quietSave(db);
    await expect(
      db.transaction('rw', db.datastoreFiles, async () => {
        await db.datastoreFiles.put({ datastoreId: 'ds-1', path: 'b.txt', folder: '', text: 'b', modifiedAt: 0 });
        throw new Error('the tab died');
      }),
    ).rejects.toThrow('the tab died');
    expect(await db.datastoreFiles.get(['ds-1', 'b.txt'])).toBeUndefined();
    expect(await stampOf(db)).toBe(before);
  });
});

describe('a saved lab and the world after it', () => {
  it('is unchanged after a save with nothing running, until a file or a key is written', async () => {
    const db = newDb('stamp-open');
    await writeTextFile(db, 'ds-1', 'vm-1/vm-1.vmx', 'displayName = "vm-1"\n');
    await quietSave(db);
    expect(await loadLabRecord(db, 'lab')).toEqual({ text: '{"status":"active"}', worldUnchanged: true });
    await deleteTextFile(db, 'ds-1', 'vm-1/vm-1.vmx');
    expect((await loadLabRecord(db, 'lab'))?.worldUnchanged).toBe(false);
    await quietSave(db);
    expect((await loadLabRecord(db, 'lab'))?.worldUnchanged).toBe(true);
    await putKey(db, { id: 'kms:kms-a:k1', owner: 'kms:kms-a', key: await newDek() });
    expect((await loadLabRecord(db, 'lab'))?.worldUnchanged).toBe(false);
  });

  it('is not taken as unchanged once the saved record was edited, though the stamp did not move', async () => {
    const db = newDb('stamp-edited');
    await writeTextFile(db, 'ds-1', 'vm-1/vm-1.vmx', 'displayName = "vm-1"\n');
    await quietSave(db);
    expect((await loadLabRecord(db, 'lab'))?.worldUnchanged).toBe(true);
    const row = (await db.savedLabs.get('lab'))!;
    await db.savedLabs.put({ ...row, snapshotJson: row.snapshotJson.replace('active', 'edited') });
    expect(await loadLabRecord(db, 'lab')).toEqual({ text: '{"status":"edited"}', worldUnchanged: false });
    // Nor is a record whose stamp was copied over from the world without its digest (a save from before it was kept).
    await db.savedLabs.put({ ...row, vouch: undefined });
    expect((await loadLabRecord(db, 'lab'))?.worldUnchanged).toBe(false);
  });

  it('is never taken as unchanged for a save made while something ran, or one a write slipped past', async () => {
    const db = newDb('stamp-busy');
    await writeTextFile(db, 'ds-1', 'a.txt', 'a');
    await saveLab(db, 'busy', { status: 'active' });
    expect((await loadLabRecord(db, 'busy'))?.worldUnchanged).toBe(false);
    // The snapshot was taken, then a write was issued before the save's transaction ran: the save cannot vouch for it.
    const quietAt = stampedWritesIssued(db);
    const write = writeTextFile(db, 'ds-1', 'a.txt', 'changed');
    await saveLab(db, 'raced', { status: 'active' }, quietAt);
    await write;
    expect((await loadLabRecord(db, 'raced'))?.worldUnchanged).toBe(false);
    expect(await loadLabRecord(db, 'never-saved')).toBeUndefined();
  });
});
