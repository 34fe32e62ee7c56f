// The lab's ids (key IDs, NKP key IDs) come from a generator seeded per lab, so a journal replayed on the same
// scenario and seed names every key as the first run did. Key material never comes from here: it stays
// crypto.getRandomValues inside WebCrypto.
import { sha256 } from '@noble/hashes/sha2';
import { utf8ToBytes } from '@noble/hashes/utils';

/** Where a lab's generator stands: its seed and how many ids it has given out. Kept in the root actor's context. */
export interface LabIdState {
  seed: string;
  next: number;
}

/** Where a lab's generator stands; a lab saved before ids were seeded gets a seed from its id. */
export function idStateOf(ctx: { labId: string; ids?: LabIdState }): LabIdState {
  return ctx.ids ?? { seed: `legacy:${ctx.labId}`, next: 0 };
}

/** A fresh random seed for a new lab (a scenario may give one instead, so its worlds can be rebuilt exactly). */
export function newLabSeed(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The n-th id of a seed, as a version-4 UUID (the form vSphere's key IDs take). */
export function seededUuid(seed: string, n: number): string {
  const bytes = sha256(utf8ToBytes(`keylab-id:${seed}:${n}`)).slice(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * How far a lab's generator jumps when it is reopened without proof that nothing was written after its last save (a
 * crash, a closed tab mid-command): the lost run may have used ids past the saved count and written them to files and
 * keys, and none may be given out twice. More than any one command takes (a 500-VM re-key takes 500).
 */
export const ID_SKIP_AFTER_INTERRUPTION = 1_000_000;
