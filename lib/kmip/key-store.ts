// What a KMS node keeps per key, behind a plain interface so the lab's KMS node actor can hand its own store to the
// request handler; an in-memory store serves the tests and any node that keeps its keys in context.
import type { CryptographicAlgorithmName, StateName } from './enums';

export interface StoredKey {
  uniqueIdentifier: string;
  state: StateName;
  algorithm: CryptographicAlgorithmName;
  /** Bits. */
  length: number;
  usageMask: number;
  names: string[];
  /** The key itself; gone once the key is destroyed. */
  material?: Uint8Array;
  /** Seconds since the epoch. */
  initialDate: number;
  activationDate?: number;
  deactivationDate?: number;
  compromiseDate?: number;
  destroyDate?: number;
}

export interface KmipKeyStore {
  get(uniqueIdentifier: string): StoredKey | undefined;
  put(key: StoredKey): void;
  /** In creation order. */
  list(): StoredKey[];
  /** A new unique identifier; ids are the store's business, so a seeded lab can make them reproducible. */
  newIdentifier(): string;
}

export class InMemoryKeyStore implements KmipKeyStore {
  private readonly keys = new Map<string, StoredKey>();
  private next = 1;

  get(id: string): StoredKey | undefined {
    return this.keys.get(id);
  }
  put(key: StoredKey): void {
    this.keys.set(key.uniqueIdentifier, key);
  }
  list(): StoredKey[] {
    return [...this.keys.values()];
  }
  newIdentifier(): string {
    while (this.keys.has(String(this.next))) this.next++;
    return String(this.next++);
  }
}
