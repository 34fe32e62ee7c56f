// Errors cross the worker boundary as plain data and are built again as the same classes, so the page tells a
// tampered sector from a missing extent or a full quota exactly as it does when the work runs in-process.
import { SectorIntegrityError } from '@/lib/crypto/sector-cipher';
import {
  DiskBusyError,
  DiskChangedError,
  DiskExtentMissingError,
  DiskKeyError,
  DiskNotFoundError,
  DiskRangeError,
  ReencryptConflictError,
  StorageFullError,
} from '../errors';

export interface SerializedError {
  name: string;
  message: string;
  /** The constructor arguments of a known error class. */
  args?: unknown[];
}

interface Known {
  cls: abstract new (...args: never[]) => Error;
  args(error: never): unknown[];
  revive(args: never): Error;
}

/** Each known class, by its name: how to take its constructor arguments apart, and how to build it again. */
const KNOWN: Record<string, Known> = {
  SectorIntegrityError: {
    cls: SectorIntegrityError,
    args: (e: SectorIntegrityError) => [e.diskId, e.sector],
    revive: ([diskId, sector]: [string, number]) => new SectorIntegrityError(diskId, sector),
  },
  DiskNotFoundError: {
    cls: DiskNotFoundError,
    args: (e: DiskNotFoundError) => [e.diskId],
    revive: ([id]: [string]) => new DiskNotFoundError(id),
  },
  DiskBusyError: {
    cls: DiskBusyError,
    args: (e: DiskBusyError) => [e.diskId],
    revive: ([id]: [string]) => new DiskBusyError(id),
  },
  DiskChangedError: {
    cls: DiskChangedError,
    args: (e: DiskChangedError) => [e.diskId],
    revive: ([id]: [string]) => new DiskChangedError(id),
  },
  DiskKeyError: {
    cls: DiskKeyError,
    args: (e: DiskKeyError) => [e.diskId, e.message],
    revive: ([id, message]: [string, string]) => new DiskKeyError(id, message),
  },
  DiskRangeError: {
    cls: DiskRangeError,
    args: (e: DiskRangeError) => [e.message],
    revive: ([message]: [string]) => new DiskRangeError(message),
  },
  DiskExtentMissingError: {
    cls: DiskExtentMissingError,
    args: (e: DiskExtentMissingError) => [e.diskId, e.path, e.firstSector, e.sectors],
    revive: ([id, path, first, sectors]: [string, string, number, number]) => new DiskExtentMissingError(id, path, first, sectors),
  },
  ReencryptConflictError: {
    cls: ReencryptConflictError,
    args: (e: ReencryptConflictError) => [e.diskId, e.message],
    revive: ([id, message]: [string, string]) => new ReencryptConflictError(id, message),
  },
  StorageFullError: {
    cls: StorageFullError,
    args: () => [],
    revive: () => new StorageFullError(),
  },
};

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const known = KNOWN[error.name];
  // The class must really be the known one (names survive minification only where set by hand, as these are).
  const isKnown = known !== undefined && error instanceof known.cls;
  return { name: error.name, message: error.message, args: isKnown ? known.args(error as never) : undefined };
}

/** The error again: the same class with the same fields when known, else an Error with the same name and message. */
export function reviveError(data: SerializedError): Error {
  const known = KNOWN[data.name];
  if (known && data.args) return known.revive(data.args as never);
  if (data.name === 'AbortError') return new DOMException(data.message, 'AbortError');
  const error = new Error(data.message);
  error.name = data.name;
  return error;
}
