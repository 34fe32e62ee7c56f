// The browser check's self-test: what it writes comes back through a reopened database, and is stored only sealed.
import { describe, expect, it } from 'vitest';
import { SEALED_SECTOR_SIZE } from '@/lib/crypto/sector-cipher';
import { openSelfTestDb, readSelfTest, selfTestStatus, writeSelfTest } from './self-test';
import { indexOfBytes } from './test-support';

describe('browser check self-test', () => {
  it('writes a text, reads it back after reopening, and stores no plaintext', async () => {
    const first = openSelfTestDb();
    expect(await readSelfTest(first)).toBeUndefined();
    const written = await writeSelfTest(first);
    expect(written.text).toMatch(/^keylab self-test [0-9a-f]{12}, written /);
    first.close();

    const second = openSelfTestDb();
    expect(await selfTestStatus(second)).toBeDefined();
    const back = (await readSelfTest(second))!;
    expect(back.text).toBe(written.text);
    expect(back.writtenAt).toBe(written.writtenAt);
    expect(back.storedSector.length).toBe(SEALED_SECTOR_SIZE);
    const marker = new TextEncoder().encode(written.text.slice(0, 24));
    const plainStart = new TextEncoder().encode(written.text.slice(0, 20));
    expect(indexOfBytes(back.plainSector, plainStart)).toBeGreaterThan(0);
    for (const row of await second.extents.toArray()) expect(indexOfBytes(row.data, marker)).toBe(-1);

    // A second run replaces the disk and the key.
    const again = await writeSelfTest(second);
    expect(again.text).not.toBe(written.text);
    expect((await readSelfTest(second))!.text).toBe(again.text);
    expect(await second.keyVault.count()).toBe(1);
    second.close();
  });
});
