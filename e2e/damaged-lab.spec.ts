// No dead end: a saved lab that parses but lacks a part (the vCenter actor, or every part) shows the lab's own error
// screen on every reload, saying what is wrong, with "Download the damaged lab" (the raw saved record, byte for byte)
// and "Reset lab"; a missing record over a stored world asks first and offers what is there; a page that fails to
// render is caught by the workspace's error boundary. Never an exception's or a parser's words.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { LabPage } from './pages/lab-page';

const RAW = /Cannot read properties|undefined|JSON|position \d|Invalid input|This page couldn/;

/** Runs `change` on the saved lab's record (JSON) in IndexedDB, from a page where the lab is not open. */
async function editSavedLab(page: Page, change: 'dropVcenter' | 'emptyChildren' | 'delete'): Promise<string | null> {
  return page.evaluate(
    (change) =>
      new Promise<string | null>((resolve, reject) => {
        const req = indexedDB.open('keylab');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction('savedLabs', 'readwrite');
          const store = tx.objectStore('savedLabs');
          const get = store.get('default');
          let written: string | null = null;
          get.onsuccess = () => {
            const row = get.result as { labId: string; snapshotJson: string; savedAt: number };
            if (change === 'delete') {
              store.delete('default');
              return;
            }
            const saved = JSON.parse(row.snapshotJson) as { root: { children: Record<string, unknown> } };
            if (change === 'dropVcenter') delete saved.root.children.vcenter;
            else saved.root.children = {};
            written = JSON.stringify(saved);
            store.put({ ...row, snapshotJson: written });
          };
          tx.oncomplete = () => {
            db.close();
            resolve(written);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    change,
  );
}

/** Copies the lab's database, stores, indexes and records, under another name (another lab's data in this browser). */
async function copyLabDatabase(page: Page, to: string): Promise<void> {
  await page.evaluate(async (to) => {
    const request = <T,>(req: IDBRequest<T>) => new Promise<T>((resolve, reject) => ((req.onsuccess = () => resolve(req.result)), (req.onerror = () => reject(req.error))));
    const source = await request(indexedDB.open('keylab'));
    const stores = [...source.objectStoreNames];
    const tx = source.transaction(stores, 'readonly');
    const data = await Promise.all(
      stores.map(async (name) => {
        const store = tx.objectStore(name);
        const indexes = [...store.indexNames].map((i) => {
          const index = store.index(i);
          return { name: i, keyPath: index.keyPath, unique: index.unique, multiEntry: index.multiEntry };
        });
        return { name, keyPath: store.keyPath, autoIncrement: store.autoIncrement, indexes, rows: await request(store.getAll()) };
      }),
    );
    const version = source.version;
    source.close();
    const open = indexedDB.open(to, version);
    open.onupgradeneeded = () => {
      for (const store of data) {
        const created = open.result.createObjectStore(store.name, { keyPath: store.keyPath, autoIncrement: store.autoIncrement });
        for (const index of store.indexes) created.createIndex(index.name, index.keyPath, { unique: index.unique, multiEntry: index.multiEntry });
      }
    };
    const target = await request(open);
    const write = target.transaction(stores, 'readwrite');
    for (const store of data) for (const row of store.rows) write.objectStore(store.name).put(row);
    await new Promise<void>((resolve, reject) => ((write.oncomplete = () => resolve()), (write.onerror = () => reject(write.error))));
    target.close();
  }, to);
}

/** A fresh lab, saved; its record changed by `change` from the home page (where the lab is not open); /lab opened again. */
async function openAfterEditingSavedLab(page: Page, change: Parameters<typeof editSavedLab>[1]) {
  const lab = new LabPage(page);
  await lab.openFresh();
  await page.goto('/');
  const written = await editSavedLab(page, change);
  await page.goto('/lab');
  return { lab, written };
}

async function expectNoAxeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

test.describe('a damaged saved lab is never a dead end', () => {
  test('a saved lab without its vCenter: says so on every reload, hands over the raw record, and resets', async ({ page }) => {
    const { lab, written } = await openAfterEditingSavedLab(page, 'dropVcenter');
    expect(written).not.toBeNull();

    for (let visit = 0; visit < 2; visit++) {
      if (visit > 0) await page.reload();
      await expect(page.getByRole('heading', { name: 'The lab could not be opened' })).toBeVisible({ timeout: 30_000 });
      await expect(page.locator('main').getByRole('alert')).toContainText('The saved lab is damaged');
      await expect(page.getByRole('list', { name: 'What is wrong' })).toContainText('The vCenter Server is missing from the lab record.');
      await expect(page.locator('main')).not.toContainText(RAW);
    }
    await expectNoAxeViolations(page);
    await lab.shot('damaged-lab-no-vcenter');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the damaged lab' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^keylab-saved-lab-.*\.json$/);
    expect(readFileSync((await download.path())!, 'utf8')).toBe(written);
    await expect(page.getByRole('status')).toContainText('Downloaded');

    await lab.resetLab();
    await expect(lab.treeItem('vcsa-01.lab.local')).toBeVisible();
  });

  test('a saved lab whose parts were all emptied says so, and Reset starts over', async ({ page }) => {
    const { lab } = await openAfterEditingSavedLab(page, 'emptyChildren');
    await expect(page.getByRole('list', { name: 'What is wrong' })).toContainText('holds none of the datacenter’s parts', { timeout: 30_000 });
    await expect(page.locator('main')).not.toContainText(RAW);
    await lab.resetLab();
  });

  test('a missing record while disks and keys are stored: asks first and offers what is there', async ({ page }) => {
    const { lab } = await openAfterEditingSavedLab(page, 'delete');
    await expect(page.getByRole('heading', { name: 'The saved lab is missing' })).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('main').getByRole('alert')).toContainText('datastore files, disks and keys are still stored');
    await expect(page.getByTestId('workspace')).toHaveCount(0);
    await expectNoAxeViolations(page);
    await lab.shot('damaged-lab-missing-record');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download what is there' }).click()]);
    const stored = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { datastoreFiles: { path: string }[]; extents: unknown[] };
    expect(stored.datastoreFiles.map((f) => f.path)).toContain('db-01/db-01.vmx');
    expect(stored.extents.length).toBeGreaterThan(0);

    await lab.resetLab();
    await expect(lab.treeItem('vcsa-01.lab.local')).toBeVisible();
  });

  test('a page that fails while it is drawn shows the lab’s error screen, and Try again brings the lab back', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.openFresh();
    // The header's lab clock redraws every second through padStart: make it throw as a broken page would.
    await page.evaluate(() => {
      const w = window as unknown as { __padStart: typeof String.prototype.padStart };
      w.__padStart = String.prototype.padStart;
      String.prototype.padStart = function () {
        throw new TypeError("Cannot read properties of undefined (reading 'padStart')");
      };
    });
    await expect(page.getByRole('heading', { name: 'The lab could not be shown' })).toBeVisible({ timeout: 10_000 });
    await page.evaluate(() => {
      String.prototype.padStart = (window as unknown as { __padStart: typeof String.prototype.padStart }).__padStart;
    });
    await expect(page.locator('main')).not.toContainText(RAW);
    await expect(page.getByRole('button', { name: 'Download the damaged lab' })).toBeVisible();
    await lab.shot('damaged-lab-render-failure');
    await page.getByRole('button', { name: 'Try again' }).click();
    await lab.waitReady();
    await expect(lab.treeItem('vcsa-01.lab.local')).toBeVisible();
  });

  test('storage full: the banner lists other labs’ data with its size, and deleting one is offered and works', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.openFresh();
    await copyLabDatabase(page, 'keylab-lesson-copy');
    await lab.select('app-01', /app-01/);
    await page.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (this.name === 'savedLabs') throw new DOMException('Quota exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    });
    await lab.runAction('Power off');
    const banner = page.getByRole('alert').filter({ hasText: 'The lab could not be saved' });
    await expect(banner).toContainText('Free space with “Delete” beside another lab’s data');
    await expect(banner).not.toContainText(/allow this site more storage|test disks/);
    const others = banner.getByRole('list', { name: 'Other labs’ data' });
    await expect(others).toContainText(/keylab-lesson-copy \(\d+(\.\d+)? (KB|MB)\)/);
    await lab.shot('storage-full-other-labs');
    await banner.getByRole('button', { name: 'Delete keylab-lesson-copy…' }).click();
    await lab.dialog('Delete keylab-lesson-copy?').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(banner).toContainText('No other lab’s data is stored in this browser');
    const names = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    expect(names).not.toContain('keylab-lesson-copy');
  });
});
