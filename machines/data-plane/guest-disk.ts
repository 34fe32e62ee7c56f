// What a running VM's guest does with its disk: list, read and write its files, through the host's DEK when encrypted;
// plus the sector view that shows the learner what is really stored next to what the host sees.
import { errorMessage } from '@/lib/error-message';
import { SEALED_SECTOR_SIZE, SECTOR_SIZE } from '@/lib/crypto/sector-cipher';
import * as guestFs from '@/lib/guest/guest-fs';
import { getDiskHeader, openDisk, readRawExtent, type KeylabDb, type VirtualDisk } from '@/lib/storage';
import type { DiskSectorsView } from '@/machines/lab-types';
import { VmDataError } from './errors';
import type { VmFiles } from './vm-files-model';

type GuestVm = Pick<VmFiles, 'name' | 'datastoreId' | 'diskId' | 'vmxPath' | 'pending'>;

/**
 * The VM's disk as the guest file system needs it. `dek` is the VM's DEK (unwrapVmDek) or null for an unencrypted VM;
 * a wrong one is refused (DiskKeyError) before any I/O. A disk in the middle of a re-encryption is refused too
 * (DiskBusyError): the guest must wait for the operation to finish.
 */
export async function openGuestDisk(db: KeylabDb, vm: GuestVm, dek: CryptoKey | null): Promise<VirtualDisk> {
  if (vm.pending) {
    throw new VmDataError(
      'OPERATION_PENDING',
      `VM "${vm.name}" has an unfinished ${vm.pending.kind === 'rekeyDeep' ? 'deep re-key' : vm.pending.kind}; ` +
        'its disk cannot be used until it is finished.',
    );
  }
  return openDisk(db, vm.diskId, dek);
}

export async function listGuestFiles(db: KeylabDb, vm: GuestVm, dek: CryptoKey | null) {
  return guestFs.listGuestFiles(await openGuestDisk(db, vm, dek));
}

/** The file's text; a tampered sector surfaces as lib's SectorIntegrityError (disk and sector named), never garbage. */
export async function readGuestFile(db: KeylabDb, vm: GuestVm, dek: CryptoKey | null, name: string): Promise<string> {
  return guestFs.readGuestFile(await openGuestDisk(db, vm, dek), name);
}

export async function writeGuestFile(db: KeylabDb, vm: GuestVm, dek: CryptoKey | null, name: string, text: string): Promise<void> {
  await guestFs.writeGuestFile(await openGuestDisk(db, vm, dek), name, text);
}

export async function deleteGuestFile(db: KeylabDb, vm: GuestVm, dek: CryptoKey | null, name: string): Promise<void> {
  await guestFs.deleteGuestFile(await openGuestDisk(db, vm, dek), name);
}

/** A DiskSectorsView, plus which of the sectors were never written (the disk is sparse: nothing is stored for them). */
export interface SectorsView extends DiskSectorsView {
  /** Bytes per sector in `stored`: 4124 sealed (nonce | ciphertext | tag) or 4096 plaintext. */
  storedSectorSize: number;
  unwrittenSectors: number[];
}

/**
 * Sectors firstSector..firstSector+count-1 of the VM's disk. `stored` has one fixed-size slot per sector, exactly the
 * bytes IndexedDB holds (zeros for a never-written sector, listed in unwrittenSectors). `plaintext` is what the host
 * reads with `dek`; without a key, or when the sectors cannot be opened (tampered, disk busy), it is null and
 * plaintextUnavailableReason says why: the view never shows garbage as if it were data.
 */
export async function readSectorsView(
  db: KeylabDb,
  vm: GuestVm,
  firstSector: number,
  count: number,
  dek: CryptoKey | null,
): Promise<SectorsView> {
  const header = await getDiskHeader(db, vm.diskId);
  if (!header) throw new VmDataError('VM_FILES_MISSING', `The virtual disk of VM "${vm.name}" is missing.`);
  const sectors = header.sizeBytes / SECTOR_SIZE;
  if (!Number.isSafeInteger(firstSector) || !Number.isSafeInteger(count) || firstSector < 0 || count < 1 || firstSector + count > sectors) {
    throw new RangeError(`Sectors ${firstSector}..${firstSector + count - 1} are outside the disk (sectors 0..${sectors - 1}).`);
  }
  const encrypted = header.keyTag !== null;
  const storedSectorSize = encrypted ? SEALED_SECTOR_SIZE : SECTOR_SIZE;
  const stored = new Uint8Array(count * storedSectorSize);
  const unwrittenSectors: number[] = [];
  let mixedKeys = false;
  const firstExtent = Math.floor(firstSector / header.extentSectors);
  const lastExtent = Math.floor((firstSector + count - 1) / header.extentSectors);
  for (let index = firstExtent; index <= lastExtent; index++) {
    const raw = await readRawExtent(db, vm.diskId, index);
    const from = Math.max(firstSector, index * header.extentSectors);
    const to = Math.min(firstSector + count, (index + 1) * header.extentSectors);
    for (let sector = from; sector < to; sector++) {
      if (!raw) {
        unwrittenSectors.push(sector);
        continue;
      }
      // During a re-encryption an extent may be under the other key, with another stored size.
      if (raw.storedSectorSize !== storedSectorSize) mixedKeys = true;
      const at = (sector - index * header.extentSectors) * raw.storedSectorSize;
      const bytes = raw.data.subarray(at, at + Math.min(raw.storedSectorSize, storedSectorSize));
      stored.set(bytes, (sector - firstSector) * storedSectorSize);
    }
  }

  let plaintext: Uint8Array | null = null;
  let reason: string | null = null;
  if (encrypted && dek === null) {
    reason = 'No key: the host does not hold this VM’s data encryption key (DEK), so the sectors stay ciphertext.';
  } else if (mixedKeys || vm.pending) {
    reason = 'The disk is being re-encrypted: its sectors are under two keys until the operation finishes.';
  } else {
    try {
      plaintext = await (await openDisk(db, vm.diskId, dek)).read(firstSector * SECTOR_SIZE, count * SECTOR_SIZE);
    } catch (error) {
      reason = errorMessage(error);
    }
  }
  return { stored, plaintext, plaintextUnavailableReason: reason, encrypted, storedSectorSize, unwrittenSectors };
}
