// The .p12 password KDF keylab runs itself (off the main thread in the browser): the same key as pkijs and OpenSSL
// compute, progress as it goes, a cancel that stops it, and slices short enough that the page never freezes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { P12WrongPasswordError } from './errors';
import { readPasswordPfx } from './pkcs12-container';
import { pkcs12Kdf, type KdfHash } from './pkcs12-kdf';
import { errorOf } from './test-support';

const utf8 = (s: string) => new TextEncoder().encode(s);
const engine = new pkijs.CryptoEngine({ name: 'reference', crypto: globalThis.crypto });

async function hmac(hash: KdfHash, key: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>) {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, data));
}

describe('PKCS#12 MAC key derivation', () => {
  const cases: [KdfHash, number, string, number][] = [
    ['SHA-1', 20, 'VMware1!-backup', 2048],
    ['SHA-256', 32, 'pässwörd-é', 1000],
    ['SHA-256', 32, '', 1],
    ['SHA-384', 48, 'x'.repeat(100), 300],
    ['SHA-512', 64, '🔑 key', 700],
  ];
  it.each(cases)('%s gives the MAC key pkijs derives (case %#)', async (hash, bytes, password, iterations) => {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const content = crypto.getRandomValues(new Uint8Array(200));
    const key = await pkcs12Kdf({ hash, password: utf8(password), salt, iterations, keyBytes: bytes });
    expect(key.length).toBe(bytes);
    const reference = await engine.stampDataWithPassword({
      password: utf8(password).buffer,
      hashAlgorithm: hash,
      salt: salt.buffer,
      iterationCount: iterations,
      contentToStamp: content.buffer,
    });
    expect(await hmac(hash, key, content)).toEqual(new Uint8Array(reference));
  });

  it('opens files OpenSSL writes (SHA-1 and SHA-512 MACs, a non-ASCII password)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keylab-kdf-'));
    const run = (args: string[]) => {
      const r = spawnSync('openssl', args, { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    };
    try {
      run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=kdf', '-days', '1', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')]);
      for (const macalg of ['sha1', 'sha512']) {
        const file = join(dir, `${macalg}.p12`);
        run(['pkcs12', '-export', '-in', join(dir, 'c.pem'), '-inkey', join(dir, 'k.pem'), '-passout', 'pass:Grüße-123', '-iter', '3000', '-macalg', macalg, '-out', file]);
        const bytes = new Uint8Array(readFileSync(file));
        expect((await readPasswordPfx(bytes, 'Grüße-123')).length).toBeGreaterThan(0);
        expect(await errorOf(() => readPasswordPfx(bytes, 'Grusse-123'))).toBeInstanceOf(P12WrongPasswordError);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports progress up to the total and never holds the thread for long', async () => {
    const seen: number[] = [];
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    await pkcs12Kdf(
      { hash: 'SHA-256', password: utf8('pw'), salt: new Uint8Array(8), iterations: 150_000, keyBytes: 32 },
      { onProgress: (done, total) => seen.push(done / total) },
    );
    delay.disable();
    expect(seen.length).toBeGreaterThan(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(1);
    // Slices are 10 ms; a busy shared machine may stretch one, never to the 200 ms a learner would feel.
    expect(delay.max / 1e6).toBeLessThan(200);
  });

  it('stops when cancelled, with an AbortError', async () => {
    const controller = new AbortController();
    let last = 0;
    let slicesAfterCancel = 0;
    const running = pkcs12Kdf(
      { hash: 'SHA-256', password: utf8('pw'), salt: new Uint8Array(8), iterations: 5_000_000, keyBytes: 32 },
      {
        signal: controller.signal,
        onProgress: (done) => {
          if (controller.signal.aborted) slicesAfterCancel++;
          last = done;
          if (done > 20_000) controller.abort();
        },
      },
    );
    const error = await errorOf(() => running);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
    expect((error as Error).message).toMatch(/cancelled/);
    expect(last).toBeLessThan(5_000_000);
    // Promptly: no slice of work runs once the learner has cancelled.
    expect(slicesAfterCancel).toBe(0);
  });
});
