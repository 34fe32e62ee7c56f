// Helpers for the VMware format tests: a KMS key locator to put in files, and the one check that a parser refuses
// damaged text with its format's error code and a message saying what is wrong.
import { expect } from 'vitest';
import { formatKeyLocator } from './key-locator';
import { VmwareFormatError, type VmwareFormatErrorCode } from './vmware-format-error';

/** A key ID as a KMS hands them out. */
export const KEY_ID = '52a8c3a0-4f1e-4c7b-9d55-0e1f2a3b4c5d';

/** The locator a file would carry for KEY_ID on the 'KMS-Cluster' provider, its wrapped key `length` bytes of `fill`. */
export function kmsKeyLocator(length: number, fill: number): string {
  return formatKeyLocator({ providerId: 'KMS-Cluster', keyId: KEY_ID, wrappedKey: new Uint8Array(length).fill(fill) });
}

/** Expects `parse(text)` to throw a VmwareFormatError with `code` and a message matching `fragment`. */
export function expectRefused(parse: (text: string) => unknown, code: VmwareFormatErrorCode, text: string, fragment: RegExp): void {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(VmwareFormatError);
    expect((e as VmwareFormatError).code).toBe(code);
    expect((e as Error).message).toMatch(fragment);
    return;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused (${code})`);
}
