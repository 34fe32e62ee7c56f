// The in-page benchmark, run tiny under fake-indexeddb: every figure is there, formatted, and nothing is left behind.
import { describe, expect, it } from 'vitest';
import { formatFigure, runRekeyProbe, runStorageBench } from '.';

describe('storage benchmark', () => {
  it('reports each figure with its ceiling and cleans up its databases', async () => {
    const phases = new Set<string>();
    let last = 0;
    const result = await runStorageBench({
      diskBytes: 40 * 4096,
      extentSectors: 3,
      chunkBytes: 4 * 3 * 4096,
      rounds: 2,
      onProgress: (fraction, phase) => {
        expect(fraction).toBeGreaterThanOrEqual(0);
        expect(fraction).toBeLessThanOrEqual(1);
        last = fraction;
        phases.add(phase);
      },
    });
    expect(last).toBe(1);
    expect(phases.size).toBeGreaterThanOrEqual(10);
    expect(result.recordBytes).toBe(3 * 4124);
    expect(result.where).toBe('this thread');
    expect(result.figures.map((f) => f.id)).toEqual([
      'aes', 'sector-cipher', 'idb-write', 'write', 'idb-read', 'read', 'small-write', 'loop-whole', 'loop-sectors',
      'reencrypt', 'reencrypt-format',
    ]);
    for (const figure of result.figures) expect(figure.value).toBeGreaterThan(0);
    expect(result.lines.find((line) => line.startsWith('deep re-encryption:'))).toMatch(
      /^deep re-encryption: \d+\.\d MB\/s, ratio \d+\.\d\d of plain read-decrypt-encrypt-write loop \(one AES-GCM call per record\) \d+\.\d MB\/s$/,
    );
    expect(result.lines.find((line) => line.startsWith('encrypted write:'))).toMatch(/ratio \d+\.\d\d of raw IndexedDB write/);
    const names = (await indexedDB.databases()).map((db) => db.name);
    expect(names).not.toContain('keylab-bench');
    expect(names).not.toContain('keylab-bench-raw');
  });

  it('deep re-keys its probe disk, which reads back under the new key, and leaves nothing behind', async () => {
    let started = 0;
    const result = await runRekeyProbe({ diskBytes: 300 * 4096, onRekeyStart: () => started++ });
    expect(started).toBe(1);
    expect(result).toMatchObject({ diskBytes: 300 * 4096, where: 'this thread' });
    expect(result.mbPerSecond).toBeGreaterThan(0);
    expect((await indexedDB.databases()).map((db) => db.name)).not.toContain('keylab-bench-rekey-probe');
  });

  it('formats a figure without a ceiling on its own', () => {
    expect(formatFigure({ id: 'x', label: 'raw AES-GCM (64 KiB calls)', value: 1234.56, unit: 'MB/s' })).toBe('raw AES-GCM (64 KiB calls): 1234.6 MB/s');
  });
});
