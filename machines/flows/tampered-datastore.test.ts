// Someone with access to the datastore alters a stored sector of an encrypted VM: the host refuses to decrypt it and
// says which disk and sector failed, instead of handing the guest silent garbage. Untouched files still read.
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILES, closeFlowLabs, expectGuestData, openFlowLab, vmView } from './flow-support';

afterEach(closeFlowLabs);

describe('tampered datastore', () => {
  it('refuses an altered sector of an encrypted disk, naming it', async () => {
    const { lab, db } = await openFlowLab('tamper');
    await expectGuestData(lab, 'db-01');
    // Find the sector holding the start of customers.csv: the first stored sector after the 8-block file system header
    // whose plaintext (seen through the host) starts with it.
    let target = -1;
    for (let sector = 8; sector < 40 && target < 0; sector++) {
      const view = await lab.readDiskSectors('db-01', sector, 1);
      if (new TextDecoder().decode(view.plaintext!).startsWith('id,name,card')) target = sector;
    }
    expect(target).toBeGreaterThanOrEqual(8);

    // The attacker flips one ciphertext bit in that sector, directly in the datastore's storage.
    const disk = (await db.disks.toArray()).find((d) => d.path.startsWith(`${vmView(lab, 'db-01').folder}/`))!;
    const extentIndex = Math.floor(target / disk.extentSectors);
    const row = (await db.extents.get([disk.diskId, extentIndex]))!;
    const data = row.data.slice();
    data[(target - extentIndex * disk.extentSectors) * 4124 + 12 + 5]! ^= 0x80;
    await db.extents.put({ ...row, data });

    await expect(lab.readGuestFile('db-01', 'customers.csv')).rejects.toThrow(new RegExp(`Sector ${target} of disk "${disk.diskId}" failed its integrity check`));
    const view = await lab.readDiskSectors('db-01', target, 1);
    expect(view.plaintext).toBeNull();
    expect(view.plaintextUnavailableReason).toMatch(new RegExp(`Sector ${target}`));
    // The other file lives in other sectors and still reads.
    expect(await lab.readGuestFile('db-01', 'ledger.txt')).toBe(DB_FILES[1]!.text);
  });
});
