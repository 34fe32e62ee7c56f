// The browser check, driven as a learner would in real Chromium: the self-test's text survives a reload, IndexedDB
// holds only its ciphertext (inspected with the raw indexedDB API, not through keylab's code), and the benchmark
// shows every figure beside its ceiling.
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

/** The self-test's own database (lib/storage/self-test.ts, SELF_TEST_DB). */
const SELF_TEST_DB = 'keylab-browser-check';
const SHOTS = '/tmp/shots';

/** Every stored value of every object store of a database, read with the bare IndexedDB API. */
interface RawScan {
  stores: Record<string, number>;
  /** Byte arrays found in the records, as plain arrays (page.evaluate cannot return typed arrays). */
  extents: { diskId: string; index: number; keyTag: string | null; data: number[] }[];
  /** Each needle, with where it occurs in any string or byte field, e.g. "extents/data". */
  hits: Record<string, string[]>;
}

function scanDatabase(page: Page, needles: string[]): Promise<RawScan> {
  return page.evaluate(
    async ({ dbName, needles }) => {
      const open = (): Promise<IDBDatabase> =>
        new Promise((resolve, reject) => {
          const req = indexedDB.open(dbName);
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
      const all = (db: IDBDatabase, store: string): Promise<unknown[]> =>
        new Promise((resolve, reject) => {
          const req = db.transaction(store, 'readonly').objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
      const encoded = needles.map((needle) => new TextEncoder().encode(needle));
      const containsBytes = (hay: Uint8Array, needle: Uint8Array) => {
        outer: for (let i = 0; i + needle.length <= hay.length; i++) {
          for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
          return true;
        }
        return false;
      };
      const hits: Record<string, string[]> = Object.fromEntries(needles.map((needle) => [needle, []]));
      const visit = (value: unknown, where: string): void => {
        if (typeof value === 'string') {
          for (const needle of needles) if (value.includes(needle)) hits[needle]!.push(where);
        } else if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
          const bytes =
            value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
          needles.forEach((needle, i) => containsBytes(bytes, encoded[i]!) && hits[needle]!.push(where));
        } else if (value && typeof value === 'object' && !(value instanceof CryptoKey)) {
          for (const [key, inner] of Object.entries(value)) visit(inner, `${where}/${key}`);
        }
      };

      const db = await open();
      try {
        const stores: Record<string, number> = {};
        const extents: RawScan['extents'] = [];
        for (const store of Array.from(db.objectStoreNames)) {
          const rows = await all(db, store);
          stores[store] = rows.length;
          for (const row of rows) visit(row, store);
          if (store === 'extents') {
            for (const row of rows as { diskId: string; index: number; keyTag: string | null; data: Uint8Array }[]) {
              extents.push({ diskId: row.diskId, index: row.index, keyTag: row.keyTag, data: Array.from(row.data) });
            }
          }
        }
        return { stores, extents, hits };
      } finally {
        db.close();
      }
    },
    { dbName: SELF_TEST_DB, needles },
  );
}

/** The bytes of a hex dump as the page prints it: an offset column, up to 16 hex bytes, then |text| per line. */
function bytesOfHexDump(dump: string): number[] {
  return dump
    .trim()
    .split('\n')
    .flatMap((line) => line.split('|')[0]!.trim().split(/\s+/).slice(1))
    .map((hex) => parseInt(hex, 16));
}

async function screenshot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test('the self-test text comes back after a reload, and IndexedDB holds only its ciphertext', async ({ page }) => {
  await page.goto('/diagnostics');
  await expect(page.getByRole('heading', { name: 'Browser check', level: 1 })).toBeVisible();
  await expect(page.getByText('No test disk is stored in this browser yet.')).toBeVisible();

  await page.getByRole('button', { name: 'Run self-test' }).click();
  const writtenText = page.getByTestId('written-text');
  await expect(writtenText).toHaveText(/^keylab self-test [0-9a-f]{12}, written \d{4}-/);
  const text = (await writtenText.textContent())!.trim();
  const token = /self-test ([0-9a-f]{12})/.exec(text)![1]!;

  // After a reload nothing is left in memory: the page finds the stored disk and decrypts it from IndexedDB.
  await page.reload();
  await expect(page.getByText(/A test disk written .* is stored in this browser/)).toBeVisible();
  await page.getByRole('button', { name: 'Read back' }).click();
  await expect(page.getByTestId('read-back-text')).toHaveText(text);
  await expect(page.getByText('Every sector read passed its AES-GCM authentication check.')).toBeVisible();

  // The raw records: sealed sectors under the disk's key tag, and neither the text nor its random token anywhere.
  const control = 'browser-check-flat.vmdk'; // the disk's path: proves the scan does see what is stored in clear
  const scan = await scanDatabase(page, [text, token, 'keylab self-test', control]);
  expect(scan.hits).toEqual({ [text]: [], [token]: [], 'keylab self-test': [], [control]: ['disks/path'] });
  expect(scan.stores.disks).toBe(1);
  expect(scan.stores.keyVault).toBe(1);
  expect(scan.extents.length).toBeGreaterThan(0);
  for (const extent of scan.extents) {
    expect(extent.diskId).toBe('browser-check');
    expect(extent.keyTag).toMatch(/^dek-/);
    expect(extent.data.length % 4124).toBe(0); // nonce (12) + ciphertext (4,096) + tag (16) per sector
  }

  // The ciphertext the page shows is the bytes IndexedDB really holds at that place of sector 1.
  await expect(page.getByTestId('plain-sector-bytes')).toContainText('keylab self-');
  await expect(page.getByTestId('raw-stored-bytes')).not.toContainText('keylab');
  const shown = bytesOfHexDump((await page.getByTestId('raw-stored-bytes').textContent())!);
  expect(shown).toHaveLength(32);
  const extent0 = scan.extents.find((extent) => extent.index === 0)!;
  const at = 4124 + 12 + (4096 - 32);
  expect(shown).toEqual(extent0.data.slice(at, at + 32));

  await screenshot(page, 'diagnostics');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await page.getByRole('button', { name: 'Read back' }).click();
  await expect(page.getByTestId('read-back-text')).toHaveText(text);
  await screenshot(page, 'diagnostics-dark');
});

test('a tampered stored byte is refused on read back, not decrypted into garbage', async ({ page }) => {
  await page.goto('/diagnostics');
  await page.getByRole('button', { name: 'Run self-test' }).click();
  await expect(page.getByTestId('written-text')).toBeVisible();

  // Flip one ciphertext byte of sector 1 (where the text starts) with the raw API, as an attacker on the datastore could.
  await page.evaluate(async (dbName) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(dbName);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = db.transaction('extents', 'readwrite');
    const store = tx.objectStore('extents');
    const req = store.get(['browser-check', 0]);
    req.onsuccess = () => {
      const row = req.result as { data: Uint8Array };
      const at = 4124 + 12 + 4090;
      row.data[at] = row.data[at]! ^ 0x01;
      store.put(row);
    };
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, SELF_TEST_DB);

  await page.reload();
  await page.getByRole('button', { name: 'Read back' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'integrity' })).toContainText(/Sector 1 of disk "browser-check" failed its integrity check/);
  await expect(page.getByTestId('read-back-text')).toHaveCount(0);
});

test('the benchmark shows every figure beside its ceiling', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/diagnostics');
  await page.getByLabel('Test disk size').selectOption('4');
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByRole('progressbar')).toBeVisible();

  const table = page.getByTestId('bench-figures');
  await expect(table).toBeVisible({ timeout: 100_000 });
  await expect(table.locator('caption')).toContainText('4 MiB disk');
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(11);
  const cells = await rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      measure: tr.querySelector('th')!.textContent!.trim(),
      result: tr.querySelectorAll('td')[0]!.textContent!.trim(),
      ceiling: tr.querySelectorAll('td')[1]!.textContent!.trim(),
      ratio: tr.querySelectorAll('td')[2]!.textContent!.trim(),
    })),
  );
  for (const row of cells) {
    const match = /^(\d+\.\d) (MB\/s|ms)$/.exec(row.result);
    expect(match, `${row.measure}: ${row.result}`).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(0);
  }
  const byMeasure = (measure: string, ceiling: string) => cells.find((row) => row.measure === measure && row.ceiling === ceiling);
  for (const [measure, ceiling] of [
    ['encrypted write', 'raw IndexedDB write'],
    ['encrypted read', 'raw IndexedDB read'],
    ['deep re-encryption', 'plain read-decrypt-encrypt-write loop (one AES-GCM call per record)'],
  ] as const) {
    const row = byMeasure(measure, ceiling);
    expect(row, `${measure} compared with ${ceiling}`).toBeDefined();
    expect(row!.ratio).toMatch(/^\d+\.\d\d$/);
    expect(Number(row!.ratio)).toBeGreaterThan(0);
  }
  // Its test disks are deleted afterwards; the learner's storage is not left full of benchmark data.
  const names = await page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name));
  expect(names).not.toContain('keylab-bench');
  expect(names).not.toContain('keylab-bench-raw');
  await screenshot(page, 'diagnostics-bench');
});

test('the datacenter benchmark shows its three times for 20 hosts and 500 encrypted VMs', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/diagnostics');
  await page.getByRole('button', { name: 'Run datacenter benchmark' }).click();
  const table = page.getByTestId('datacenter-figures');
  await expect(table).toBeVisible({ timeout: 100_000 });
  await expect(table.locator('caption')).toHaveText('20 hosts, 500 encrypted VMs.');
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(3);
  for (const [i, step] of ['Build the datacenter', 'Shallow re-key of every VM', 'Restore the saved lab'].entries()) {
    await expect(rows.nth(i).locator('th')).toHaveText(step);
    await expect(rows.nth(i).locator('td').first()).toHaveText(/^\d+\.\d\d s$/);
    await expect(rows.nth(i).locator('td').nth(1)).toHaveText(/^(met|not met)$/);
  }
  // Its datacenter lived in a database of its own, deleted afterwards.
  const names = await page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name));
  expect(names).not.toContain('keylab-bench-datacenter');
  await screenshot(page, 'diagnostics-datacenter');
});
