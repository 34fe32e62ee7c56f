// The disks' heavy work runs in a dedicated worker: it loads under the lab's strict Content-Security-Policy (a script
// of the site's own origin, no blob:), and an encryption started from the UI is done there and reads back on the page.
import { expect, test, type Worker } from '@playwright/test';
import { LabPage } from './pages/lab-page';

test('the lab starts its disk worker under its CSP, and Encrypt is done by it', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  const diskWorkers: Worker[] = [];
  page.on('worker', async (worker) => {
    if ((await worker.evaluate(() => self.name).catch(() => '')).startsWith('keylab-disk-')) diskWorkers.push(worker);
  });
  const lab = new LabPage(page);
  await lab.openFresh();
  await expect.poll(() => diskWorkers.length).toBeGreaterThan(0);
  await lab.select('app-01', /app-01/);
  await lab.runOk('Power off');
  await lab.runOk('Encrypt');
  // The whole-disk pass (read, seal under the new DEK, write, journal) ran in the worker, not on the page.
  const jobs = await Promise.all(diskWorkers.map((w) => w.evaluate(() => (self as unknown as { keylabDiskJobs: Record<string, number> }).keylabDiskJobs)));
  expect(jobs.reduce((sum, j) => sum + (j.reencrypt ?? 0), 0)).toBeGreaterThanOrEqual(1);
  expect(violations).toEqual([]);
});
