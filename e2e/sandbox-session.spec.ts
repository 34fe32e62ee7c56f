// The sandbox never keeps running behind the learner's back: leaving /lab for the home page (client-side) closes it
// (lab saved and stopped, its Web Lock let go) and coming back opens it where the learner left it.
import { expect, test } from '@playwright/test';
import { LabPage } from './pages/lab-page';

const LOCK = 'keylab-lab';

test('leaving the sandbox for home closes it, and coming back opens it where it was', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  expect(await lab.heldLocks()).toContain(LOCK);
  await lab.select('app-01', /app-01/);
  expect((await lab.runAction('Power off')).ok).toBe(true);
  await expect(lab.main.getByText('Powered off', { exact: true }).first()).toBeVisible();

  // A mark on the window proves the navigation stayed client-side (a reload would let go of everything anyway).
  await page.evaluate(() => ((window as unknown as { __stayed: boolean }).__stayed = true));
  await lab.goHome();
  await expect.poll(() => lab.heldLocks(), { message: 'no lock held for the sandbox while on home' }).not.toContain(LOCK);

  await page.getByRole('link', { name: 'Open the sandbox' }).click();
  await lab.waitReady();
  expect(await page.evaluate(() => (window as unknown as { __stayed?: boolean }).__stayed)).toBe(true);
  await lab.select('app-01', /app-01/);
  await expect(lab.main.getByText('Powered off', { exact: true }).first()).toBeVisible();
  expect(await lab.heldLocks()).toContain(LOCK);

  // Home, then the browser's Back button: the workspace comes back on the page the learner had open, and works.
  await lab.goHome();
  await page.goBack();
  await lab.waitReady();
  await expect(lab.main).toHaveAttribute('data-route', '#/vm/app-01');
  expect(await page.evaluate(() => (window as unknown as { __stayed?: boolean }).__stayed)).toBe(true);
  await lab.select('app-01', /app-01/);
  expect((await lab.runAction(/^Power on/)).ok).toBe(true);
  await expect(lab.main.getByText('Powered on', { exact: true }).first()).toBeVisible();
  await expect.poll(() => lab.heldLocks()).toContain(LOCK);
});
