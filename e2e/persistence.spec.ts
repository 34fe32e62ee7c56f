// The lab persists and has one owner: what the learner did is still there after a reload, and a second tab is told
// the lab is open elsewhere (instead of writing over it) and can take it over; the first tab then stands aside.
import { expect, test } from '@playwright/test';
import { LabPage } from './pages/lab-page';

test.describe('lab persistence', () => {
  test('what the learner did survives a reload, on the same page', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.openFresh();
    await lab.switchUser('No cryptography administrator');
    await page.getByRole('button', { name: 'Destroy vCenter…' }).click();
    await lab.dialog(/Destroy vCenter/).getByRole('button', { name: /^Destroy/ }).click();
    await expect(lab.treeItem('vCenter Server (destroyed)')).toBeVisible();
    await lab.select('ds-shared-01', /ds-shared-01/);
    const eventsBefore = await lab.events.count();

    await page.reload();
    await lab.waitReady();
    await expect(page).toHaveURL(/#\/datastore\/ds-shared-01$/);
    await expect(lab.main.getByRole('heading', { level: 1, name: /ds-shared-01/ })).toBeVisible();
    await expect(lab.treeItem('vCenter Server (destroyed)')).toBeVisible();
    await expect(lab.treeItem('app-01')).toHaveAttribute('aria-label', /unregistered/);
    await expect(lab.events).toHaveCount(eventsBefore);

    // A new vCenter is a new, empty database: the user switch from before is gone with the old one.
    await page.getByRole('navigation', { name: 'Inventory' }).getByRole('button', { name: 'Deploy a new vCenter' }).click();
    await expect(lab.treeItem('vcsa-01.lab.local')).toBeVisible();
    await expect(lab.userSelect).toHaveValue(/administrator/i);
    await page.reload();
    await lab.waitReady();
    await expect(lab.treeItem('vcsa-01.lab.local')).toBeVisible();
  });

  test('when the browser refuses to store the lab, the workspace says so until a save succeeds again', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.openFresh();
    await lab.select('app-01', /app-01/);
    // The browser's own quota error on the saved-lab store. (A real full quota cannot be produced here: Chromium 156
    // ignores the DevTools quota override in this set-up, and this origin's quota is gigabytes.)
    await page.evaluate(() => {
      const w = window as unknown as { __storeFull: boolean };
      w.__storeFull = true;
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (w.__storeFull && this.name === 'savedLabs') throw new DOMException('Quota exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    });
    expect((await lab.runAction('Power off')).ok).toBe(true);
    const banner = page.getByRole('alert').filter({ hasText: 'The lab could not be saved' });
    await expect(banner).toContainText(/storage for this site is full/);
    await lab.shot('persistence-not-saved');

    await page.evaluate(() => {
      (window as unknown as { __storeFull: boolean }).__storeFull = false;
    });
    expect((await lab.runAction(/^Power on/)).ok).toBe(true);
    await expect(banner).toHaveCount(0);
    await page.reload();
    await lab.waitReady();
    await expect(lab.main.getByText('Powered on', { exact: true }).first()).toBeVisible();
  });

  test('lab time and its fast-forward survive a reload', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.openFresh();
    const outcome = await lab.runAction(/Fast-forward 1 min/, page.getByRole('banner'));
    expect(outcome.ok).toBe(true);
    await expect(page.getByTestId('lab-time')).toHaveText(/^0:0[1-9]:\d\d$/);
    await page.reload();
    await lab.waitReady();
    await expect(page.getByTestId('lab-time')).toHaveText(/^0:0[1-9]:\d\d$/);
  });

  test('a second tab is told the lab is open elsewhere, and can take it over', async ({ page, context }) => {
    const first = new LabPage(page);
    await first.openFresh();
    await page.getByRole('button', { name: 'Destroy vCenter…' }).click();
    await first.dialog(/Destroy vCenter/).getByRole('button', { name: /^Destroy/ }).click();
    await expect(first.treeItem('vCenter Server (destroyed)')).toBeVisible();

    const page2 = await context.newPage();
    const second = new LabPage(page2);
    await page2.goto('/lab');
    await expect(page2.getByRole('heading', { name: 'This lab is open in another tab' })).toBeVisible({ timeout: 30_000 });
    await expect(page2.getByTestId('workspace')).toHaveCount(0);
    await second.shot('persistence-second-tab');

    await page2.getByRole('button', { name: 'Use it here instead' }).click();
    await second.waitReady();
    // The second tab has the same lab, with what the first tab did.
    await expect(second.treeItem('vCenter Server (destroyed)')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'The lab moved to another tab' })).toBeVisible();
    await expect(page.getByTestId('workspace')).toHaveCount(0);

    // What the second tab does now is what the first finds when it takes the lab back.
    await page2.getByRole('navigation', { name: 'Inventory' }).getByRole('button', { name: 'Deploy a new vCenter' }).click();
    await expect(second.treeItem('vcsa-01.lab.local')).toBeVisible();
    await page.getByRole('button', { name: 'Use it here instead' }).click();
    await first.waitReady();
    await expect(first.treeItem('vcsa-01.lab.local')).toBeVisible();
    await expect(page2.getByRole('heading', { name: 'The lab moved to another tab' })).toBeVisible();
  });

  test('a saved lab reopens to a usable workspace, reload after reload (the time is printed, not asserted)', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.openFresh();
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = Date.now();
      await page.reload();
      await lab.waitReady();
      times.push(Date.now() - start);
    }
    const best = Math.min(...times);
    test.info().annotations.push({ type: 'reopen-ms', description: times.join(', ') });
    console.log(`keylab: /lab reload to a usable workspace took ${times.join(', ')} ms`);
    // A figure (target 1.5 s on an idle machine), never a pass/fail bound: a loaded machine would fail a sound build.
    console.log(`keylab: best of three: ${best} ms`);
  });

  test('a saved lab that cannot be opened says why, keeps it, and can be reset', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.openFresh();
    // Leave the lab (the tab lets go of it), then spoil its saved state as a different keylab version would.
    await page.goto('/');
    await lab.spoilSavedLab();
    await page.goto('/lab');
    await expect(page.getByRole('heading', { name: 'The lab could not be opened' })).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('main').getByRole('alert')).toContainText('another version of keylab');
    await lab.shot('persistence-open-error');
    // Trying again does not throw the saved lab away: the same error comes back.
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(page.locator('main').getByRole('alert')).toContainText('another version of keylab');
    // Reset asks first, then starts the lab over.
    await page.getByRole('button', { name: 'Reset lab…' }).click();
    await lab.dialog('Reset the lab?').getByRole('button', { name: 'Reset lab', exact: true }).click();
    await lab.waitReady();
    await expect(lab.treeItem('vcsa-01.lab.local')).toBeVisible();
  });
});
