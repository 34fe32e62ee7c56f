// A thousand damaged, altered and hostile .p12 files fed to the NKP restore: each is refused with a clear message or
// restores the very KDK that was backed up; a long file gives the rest of the page turns while it opens, and an absurd
// one is refused before any work. Timings (the longest event-loop stall) are printed as figures, never asserted.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { KeylabCryptoError, P12TooManyIterationsError } from './errors';
import { exportRawKey, generateKdk } from './keys';
import { importNkpBackup, OID_AES256_WRAP, OID_SECRET_BAG } from './pkcs12';
import { encodeBagAttributes } from './pkcs12-attributes';
import { MAX_ITERATIONS, writePasswordPfx } from './pkcs12-container';
import { errorOf } from './test-support';

const PASSWORD = 'Fuzz-Backup-1';
const META = { providerName: 'nkp-fuzz', keyId: '5b0c6f1e-2d7a-4c3b-9e8f-0a1b2c3d4e5f', exportedAt: 1_764_000_000_000, tpmOnly: true };
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** An NKP backup as keylab writes it, with OpenSSL's default 2,048 iterations so a thousand files run in seconds. */
async function backup(iterations = 2_048): Promise<{ file: Uint8Array; kdkHex: string }> {
  const raw = await exportRawKey(await generateKdk());
  const block = new asn1js.OctetString({ valueHex: raw });
  const bag = new pkijs.SafeBag({
    bagId: OID_SECRET_BAG,
    bagValue: new pkijs.SecretBag({ secretTypeId: OID_AES256_WRAP, secretValue: { toSchema: () => block } as unknown as pkijs.SchemaCompatible }),
    bagAttributes: encodeBagAttributes(META),
  });
  return { file: await writePasswordPfx([bag], PASSWORD, { iterations }), kdkHex: hex(raw) };
}

function withMacIterations(file: Uint8Array, iterations: number): Uint8Array {
  const pfx = pkijs.PFX.fromBER(new Uint8Array(file));
  pfx.macData!.iterations = iterations;
  return new Uint8Array(pfx.toSchema().toBER(false));
}

describe('restore from 1,000 mutated .p12 files', () => {
  it('refuses each with a clear message or restores it correctly', async () => {
    const { file, kdkHex } = await backup();
    let seed = 8;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return (seed >>> 8) % n;
    };
    const mutate = (): { bytes: Uint8Array; password: string } => {
      const bytes = new Uint8Array(file);
      switch (rand(8)) {
        case 0: // one to three flipped bytes
          for (let i = 0, n = 1 + rand(3); i < n; i++) {
            const at = rand(bytes.length);
            bytes[at] = (bytes[at] as number) ^ (1 + rand(255));
          }
          return { bytes, password: PASSWORD };
        case 1: // truncated
          return { bytes: bytes.slice(0, rand(bytes.length)), password: PASSWORD };
        case 2: {
          // random bytes inserted
          const at = rand(bytes.length);
          const extra = crypto.getRandomValues(new Uint8Array(1 + rand(40)));
          return { bytes: new Uint8Array([...bytes.slice(0, at), ...extra, ...bytes.slice(at)]), password: PASSWORD };
        }
        case 3: {
          // a range overwritten with random bytes
          const at = rand(bytes.length);
          bytes.set(crypto.getRandomValues(new Uint8Array(Math.min(1 + rand(64), bytes.length - at))), at);
          return { bytes, password: PASSWORD };
        }
        case 4: // hostile iteration counts, in range and out of it
          return { bytes: withMacIterations(file, [0, 1, 3, 2_049, MAX_ITERATIONS + 1, 10_000_000, 2 ** 31 - 1, 2 ** 40][rand(8)] as number), password: PASSWORD };
        case 5: // random bytes of a plausible size
          return { bytes: crypto.getRandomValues(new Uint8Array(rand(3_000))), password: PASSWORD };
        case 6: // the wrong password, or the right one typed with a slip
          return { bytes, password: [PASSWORD.toLowerCase(), '', `${PASSWORD} `, 'fuzz-backup-1'][rand(4)] as string };
        default: // untouched
          return { bytes, password: PASSWORD };
      }
    };

    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    let restored = 0;
    const refusedBy = new Map<string, number>();
    for (let i = 0; i < 1_000; i++) {
      const { bytes, password } = mutate();
      const outcome = await importNkpBackup(bytes, password).then(
        (contents) => ({ contents }),
        (error: unknown) => ({ error }),
      );
      if ('contents' in outcome) {
        // Restored: then it must be the same key and the same provider, never a silently different one.
        expect(hex(await exportRawKey(outcome.contents.kdk)), `file ${i}`).toBe(kdkHex);
        expect({ ...outcome.contents, kdk: undefined }).toEqual({ ...META, kdk: undefined });
        restored++;
      } else {
        expect(outcome.error, `file ${i}: ${String(outcome.error)}`).toBeInstanceOf(KeylabCryptoError);
        const { code, message } = outcome.error as KeylabCryptoError;
        expect(message.length, `file ${i}`).toBeGreaterThan(30);
        expect(message, `file ${i}`).not.toMatch(/undefined|\[object|TypeError|asn1|Wrong input|NaN/);
        refusedBy.set(code, (refusedBy.get(code) ?? 0) + 1);
      }
    }
    delay.disable();
    const maxMs = delay.max / 1e6;
    console.info(`1,000 mutated .p12 files: ${restored} restored, refused ${JSON.stringify(Object.fromEntries(refusedBy))}; longest event-loop stall ${maxMs.toFixed(0)} ms`);
    expect(restored).toBeGreaterThan(50);
    expect(refusedBy.get('P12_CORRUPT')).toBeGreaterThan(100);
    expect(refusedBy.get('P12_WRONG_PASSWORD')).toBeGreaterThan(50);
  }, 300_000);

  it('opens a file asking for many iterations without stalling the thread, reporting progress', async () => {
    // Written before the clock starts (writing runs pkijs's own KDF on this thread).
    const { file: bytes, kdkHex } = await backup(300_000);
    const progress: number[] = [];
    // Other work queued on the event loop (a timer that re-arms itself) gets a turn between every two slices of the
    // KDF: it hands the thread back after each slice instead of holding it to the end.
    const turnsAtReport: number[] = [];
    let opening = true;
    let turnsMeanwhile = 0;
    const otherWork = () => {
      if (!opening) return;
      turnsMeanwhile++;
      setTimeout(otherWork, 0);
    };
    setTimeout(otherWork, 0);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const contents = await importNkpBackup(bytes, PASSWORD, {
      onProgress: (done, total) => {
        progress.push(done / total);
        turnsAtReport.push(turnsMeanwhile);
      },
    });
    delay.disable();
    opening = false;
    console.info(`300,000-iteration .p12: ${progress.length} progress reports, ${turnsMeanwhile} turns for other work; longest event-loop stall ${(delay.max / 1e6).toFixed(0)} ms`);
    expect(hex(await exportRawKey(contents.kdk))).toBe(kdkHex);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.at(-1)).toBe(1);
    // One report per slice, then a closing "all done" one straight after the last slice's.
    const perSlice = turnsAtReport.slice(0, -1);
    const slicesWithoutATurnBetween = perSlice.slice(1).filter((turns, i) => turns === perSlice[i]).length;
    expect(slicesWithoutATurnBetween).toBe(0);
  }, 120_000);

  it('refuses an absurd iteration count at once, saying the count and the limit', async () => {
    const { file } = await backup();
    let roundsReported = 0;
    const error = await errorOf(() => importNkpBackup(withMacIterations(file, 50_000_000), PASSWORD, { onProgress: () => roundsReported++ }));
    expect(error).toBeInstanceOf(P12TooManyIterationsError);
    expect((error as Error).message).toMatch(/50,000,000 password iterations/);
    expect((error as Error).message).toContain(MAX_ITERATIONS.toLocaleString('en-US'));
    // Refused before the KDF ran a single slice.
    expect(roundsReported).toBe(0);
  });
});
